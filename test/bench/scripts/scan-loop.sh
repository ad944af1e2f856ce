#!/usr/bin/env bash
# The shell loop people write today to look for locked bucket and queue policies across member
# accounts with the AWS CLI: per account and task an `sts assume-root`, the credentials exported,
# then one CLI call per list and one per policy, each policy saved for grepping afterwards.
# Usage: scan-loop.sh <out-dir> <account-id>...  Calls go to $BENCH_ENDPOINT (the sandbox); the
# management credentials come from the environment.
set -uo pipefail
out=$1
shift
aws_() { aws --endpoint-url "$BENCH_ENDPOINT" "$@"; }

# Prints "AccessKeyId SecretAccessKey SessionToken" of a root session for one task.
assume_root() {
  aws_ sts assume-root --target-principal "$1" \
    --task-policy-arn "arn=arn:aws:iam::aws:policy/root-task/$2" \
    --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text
}

for account in "$@"; do
  dir="$out/$account"
  mkdir -p "$dir"
  (
    creds=$(assume_root "$account" S3UnlockBucketPolicy) || exit 1
    read -r AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN <<<"$creds"
    export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN
    buckets=$(aws_ s3api list-buckets --query 'Buckets[].Name' --output text) || exit 1
    for bucket in $buckets; do
      # No policy is an error (NoSuchBucketPolicy): nothing to save.
      aws_ s3api get-bucket-policy --bucket "$bucket" --query Policy --output text \
        >"$dir/s3-$bucket.json" 2>/dev/null || rm -f "$dir/s3-$bucket.json"
    done
  ) || { echo "S3 scan failed for $account" >&2; exit 1; }
  (
    creds=$(assume_root "$account" SQSUnlockQueuePolicy) || exit 1
    read -r AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN <<<"$creds"
    export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN
    urls=$(aws_ sqs list-queues --query 'QueueUrls' --output text) || exit 1
    for url in $urls; do
      [ "$url" = None ] && continue
      policy=$(aws_ sqs get-queue-attributes --queue-url "$url" --attribute-names Policy \
        --query Attributes.Policy --output text) || exit 1
      [ "$policy" = None ] || printf '%s\n' "$policy" >"$dir/sqs-${url##*/}.json"
    done
  ) || { echo "SQS scan failed for $account" >&2; exit 1; }
  echo "$account $(ls "$dir" | wc -l)"
done
