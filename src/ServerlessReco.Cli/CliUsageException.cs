namespace ServerlessReco.Cli;

/// <summary>The arguments do not make sense: shown with the command's usage, exit code 2.</summary>
public sealed class CliUsageException(string message) : Exception(message);
