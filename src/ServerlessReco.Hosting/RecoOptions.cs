using ServerlessReco.Core.Recommendation;

namespace ServerlessReco.Hosting;

/// <summary>Product settings (section <c>Reco</c>; in Azure app settings <c>Reco__RetentionDays</c> and so on).</summary>
public sealed class RecoOptions
{
    public const string Section = "Reco";

    /// <summary>How many days events are kept; 0 keeps them forever.</summary>
    public int RetentionDays { get; set; } = 365;

    /// <summary>
    /// How many days served lists are kept (the input of attribution, online figures, off-policy evaluation and Thompson
    /// feedback); 0 keeps them forever. Shorter than the events': a list is worth little once its clicks are in.
    /// </summary>
    public int ServedListRetentionDays { get; set; } = 30;

    // Reco:RetrainSchedule (when the Retrain timer fires) is not here: only the Functions host reads it, through the
    // binding expression %Reco:RetrainSchedule%, from the app setting the deployment writes (infra/app/api.bicep,
    // local.settings.example.json); a default here would never be read.

    /// <summary>How much worse than the champion (a fraction of its nDCG@10 and of its coverage) a challenger may be and still be promoted.</summary>
    public double PromotionTolerance { get; set; } = 0.02;

    /// <summary>
    /// The gate's noise allowance: standard errors each side of the paired per-user nDCG@10 difference (1.96: 95%);
    /// a challenger is kept out only when the whole interval is worse than the champion or popularity. 0: means alone.
    /// </summary>
    public double PromotionStandardErrors { get; set; } = 1.96;

    /// <summary>Model versions kept in storage; older ones are deleted (never the serving one or the one before it).</summary>
    public int ModelVersionsToKeep { get; set; } = 10;

    /// <summary>
    /// The most items the catalogue may hold: serving keeps it in memory on every instance, so a write that would pass it
    /// is refused whole (422 naming this setting) instead of slowing every instance down.
    /// </summary>
    public int MaxCatalogItems { get; set; } = 200_000;

    /// <summary>A retrain with fewer events in the window trains nothing.</summary>
    public int RetrainMinimumEvents { get; set; } = 100;

    /// <summary>Whether the retrain keeps the rows of the lists shown and trains a click model from them (<c>ClickModelOptions.Enabled</c>).</summary>
    public bool ClickModel { get; set; } = true;

    /// <summary>Fewer logged personal lists in the window than this: no click model is trained, lists keep today's order.</summary>
    public int ClickModelMinimumLists { get; set; } = 200;

    /// <summary>Fewer engaged slots (clicked, carted or bought) in the window than this: no click model is trained.</summary>
    public int ClickModelMinimumClicks { get; set; } = 50;

    /// <summary>
    /// Whether each retrain chooses the exploration rate the new version serves with, from what the current rate and its
    /// neighbours earned on the lists logged since (<c>AdaptiveRateOptions</c>); off: every version serves <c>Serving:Explore</c>.
    /// </summary>
    public bool AdaptiveExploration { get; set; } = true;

    /// <summary>The lowest exploration rate a retrain may choose (above 0: every list keeps its new-arrival slot).</summary>
    public double ExploreMinimum { get; set; } = 0.02;

    /// <summary>The highest exploration rate a retrain may choose.</summary>
    public double ExploreMaximum { get; set; } = 0.3;

    /// <summary>The share of the next list's clicks exploring may cost against explore=0's estimate before a retrain lowers the rate.</summary>
    public double ExplorationCost { get; set; } = 0.05;

    /// <summary>The adaptive rate's settings, as retraining uses them.</summary>
    public Core.Exploration.AdaptiveRateOptions AdaptiveRate() => new()
    {
        Enabled = AdaptiveExploration, Minimum = ExploreMinimum, Maximum = ExploreMaximum, Cost = ExplorationCost,
    };

    /// <summary>
    /// Seconds a retrain's lease on the store lasts unless renewed (<c>training/retrain-lease.json</c>, renewed every third
    /// of it while the run lives): two retrains never run at once, and a killed run blocks the next for at most this long.
    /// </summary>
    public int RetrainLeaseSeconds { get; set; } = 120;

    /// <summary>The model retraining trains: <c>auto</c> (<see cref="ModelKinds.AutoCandidates"/>), <c>ease</c>, <c>sar</c> or <c>sequence</c>.</summary>
    public ModelKind RetrainModel { get; set; } = ModelKind.Auto;

    /// <summary>
    /// Whether retraining embeds the catalogue's texts with the content model (all-MiniLM-L6-v2 on ONNX Runtime) so
    /// serving can score items the collaborative model does not know; off trains and serves as without it.
    /// </summary>
    public bool ContentModel { get; set; } = true;

    /// <summary>
    /// Seconds one retrain may spend embedding item texts. When they run out the model is published with the vectors
    /// there are, and later runs embed the rest; what was embedded is saved as it goes. Well inside the Functions
    /// timeout (10 minutes in host.json), which also has to hold reading, training and publishing.
    /// </summary>
    public int ContentEmbeddingBudgetSeconds { get; set; } = 240;

    /// <summary>
    /// Whether the anonymous read routes under <c>public/</c> answer. Off by default: without a function key anyone
    /// could read any user's recommendations.
    /// </summary>
    public bool AllowAnonymousReads { get; set; }

    /// <summary>
    /// The secret key (base64, at least 32 bytes) under which user ids become the pseudonyms that are stored.
    /// Changing it changes every pseudonym: events stored before are then no longer found by user id.
    /// Without it the embedded store generates one into its data directory; Cosmos DB requires it.
    /// </summary>
    public string? PseudonymKey { get; set; }
}
