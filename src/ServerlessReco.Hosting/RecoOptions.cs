namespace ServerlessReco.Hosting;

/// <summary>Product settings (section <c>Reco</c>; in Azure app settings <c>Reco__RetentionDays</c> and so on).</summary>
public sealed class RecoOptions
{
    public const string Section = "Reco";

    /// <summary>How many days events are kept; 0 keeps them forever.</summary>
    public int RetentionDays { get; set; } = 365;
}
