-- A test file: never loaded as a script (it would fail validation).
return 42
