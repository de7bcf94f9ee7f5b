"""The coopgraph model: schema, graph batches and stores."""
