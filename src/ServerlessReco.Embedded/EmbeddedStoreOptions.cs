namespace ServerlessReco.Embedded;

/// <summary>Where the embedded store keeps its files (setting section <c>Embedded</c>).</summary>
public sealed class EmbeddedStoreOptions
{
    public const string Section = "Embedded";

    /// <summary>The folder holding <c>reco.db</c> and the <c>models/</c> folder.</summary>
    public string DataDirectory { get; set; } = ".reco-data";

    public string DatabasePath => Path.Combine(DataDirectory, "reco.db");

    public string ModelsPath => Path.Combine(DataDirectory, "models");
}
