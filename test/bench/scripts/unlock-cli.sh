#!/usr/bin/env bash
# The three-command unlock people do today with the AWS CLI: a root session for the S3 task, the
# current policy saved, the edited policy put back. The edit itself is a person with an editor;
# here it is given as a file (the same document the extension proposes).
# Usage: unlock-cli.sh <account-id> <bucket> <edited-policy-file> <current-policy-out>
set -euo pipefail
aws_() { aws --endpoint-url "$BENCH_ENDPOINT" "$@"; }
creds=$(aws_ sts assume-root --target-principal "$1" \
  --task-policy-arn arn=arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy \
  --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text)
read -r AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN <<<"$creds"
export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN
aws_ s3api get-bucket-policy --bucket "$2" --query Policy --output text >"$4"
aws_ s3api put-bucket-policy --bucket "$2" --policy "file://$3"
