namespace ServerlessReco.Cli;

/// <summary>
/// One verb of the CLI. Every non-abstract implementation in this assembly is found by
/// <see cref="CommandCatalog"/>, so adding a command means adding one file.
/// </summary>
public interface ICliCommand
{
    /// <summary>The verb typed after <c>reco</c>, e.g. <c>import</c>.</summary>
    string Name { get; }

    /// <summary>One line for <c>reco help</c>.</summary>
    string Summary { get; }

    /// <summary>The full usage text for <c>reco help NAME</c>.</summary>
    string Usage { get; }

    Task<int> RunAsync(CliArguments arguments, TextWriter output, CancellationToken cancellationToken);
}
