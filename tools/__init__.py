"""Pure helpers of the collection engine: standard library only, no database needed."""
