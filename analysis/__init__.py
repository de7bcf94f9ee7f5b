"""What coopgraph computes from the graph: the features every surface shows.

Network metrics and money (`analytics`, `concentration`, `shares`), groupings (`breakdowns`, `regions`),
prospects (`prospects`, `cooperant_prospects`, `prospect_graph`), profiles ("fichas", `profiles` and its
sections), differences between years (`diff`), search, provenance, the summary, graph files for
Gephi and Cytoscape (`exports`) and IATI XML (`iati`). Every module reads the store through
`coopgraph.graph` (the model, the stores and the read model, where each figure is defined once) and
never imports a surface (API, maps, CLI).
"""
