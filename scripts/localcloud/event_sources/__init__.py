"""Lambda's event source mappings: pollers that read a source and invoke a function with its
records (sqs.py: SQS queues, with partial batch failures; dynamodb_stream.py: a table's DynamoDB
stream, shard by shard in order, with bisect, retries and an on-failure destination)."""
