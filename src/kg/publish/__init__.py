"""Publishing to Wikidata: link proposals and QuickStatements."""
