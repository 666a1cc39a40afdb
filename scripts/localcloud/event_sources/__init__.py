"""Lambda's event source mappings: pollers that read a source and invoke a function with its
records (sqs.py: SQS queues, with partial batch failures)."""
