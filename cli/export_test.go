package cli

// ReadDefinition exposes readDefinition to the tests.
var ReadDefinition = readDefinition
