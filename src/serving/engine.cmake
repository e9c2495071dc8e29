# kindred_serving: filled in by the serving engine.
