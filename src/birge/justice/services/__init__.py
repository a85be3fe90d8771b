"""The justice app's writes, one module per part: orders (and their breaches),
proceedings, programmes, perpetrators."""
