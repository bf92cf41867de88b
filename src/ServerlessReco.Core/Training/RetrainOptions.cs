using ServerlessReco.Core.Recommendation;
using ServerlessReco.Core.Segments;

namespace ServerlessReco.Core.Training;

/// <summary>How a retrain decides: what to train, how much data it needs, and how strict the promotion gate is.</summary>
public sealed record RetrainOptions
{
    /// <summary>The model and training settings of every challenger.</summary>
    public TrainerOptions Trainer { get; init; } = new();

    /// <summary>The click model's rows and when it is trained.</summary>
    public Clicks.ClickModelOptions ClickModel { get; init; } = new();

    /// <summary>The exploration rates each retrain estimates from the logged lists of its window.</summary>
    public Exploration.ExplorationEvaluationOptions Exploration { get; init; } = new();

    /// <summary>How each retrain chooses the exploration rate the new version serves with (<see cref="Exploration.AdaptiveExplorationRate"/>).</summary>
    public Exploration.AdaptiveRateOptions AdaptiveRate { get; init; } = new();

    /// <summary>
    /// How much worse than the champion a challenger may be and still be promoted, as a fraction of the
    /// champion's figure, on nDCG@10 and on catalogue coverage (0.02: at least 98% of each).
    /// </summary>
    public double Tolerance { get; init; } = 0.02;

    /// <summary>
    /// How wide the gate's noise allowance is: the paired per-user nDCG@K difference's interval spans this many
    /// standard errors each side (1.96: 95%); 0 compares the means alone.
    /// </summary>
    public double StandardErrors { get; init; } = 1.96;

    /// <summary>Versions kept in the store; older ones are deleted, never the serving one or the one before it.</summary>
    public int VersionsToKeep { get; init; } = 10;

    /// <summary>A run with fewer events in the training window trains nothing.</summary>
    public int MinimumEvents { get; init; } = 100;

    /// <summary>Days of events trained on, up to now; 0: every event.</summary>
    public int WindowDays { get; init; }

    /// <summary>Share of each user's newest items held out for champion/challenger evaluation.</summary>
    public double HoldOutFraction { get; init; } = 0.2;

    /// <summary>Users with fewer items hold nothing out.</summary>
    public int HoldOutMinItems { get; init; } = 5;

    /// <summary>The list length the gate scores (nDCG@K, coverage of top-K lists).</summary>
    public int K { get; init; } = 10;

    /// <summary>
    /// How the hosts serve (their business rules, diversity, the history read): the content challenger serves its hold-out
    /// lists by these rules, without exploration (<see cref="ContentChallenge"/>).
    /// </summary>
    public Serving.ServingOptions Serving { get; init; } = new();

    /// <summary>
    /// How long a run's lease on the store lasts unless renewed (every third of it while the run lives): a killed run
    /// blocks the next one for at most this long.
    /// </summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>
    /// How the training segments are kept for these settings: cut to the window, and without impressions unless
    /// training weighs them (what was shown is not what a shopper did: weight 0 by default) or the click model learns from
    /// a shop's own impressions (<see cref="Clicks.ClickModelOptions.ShopImpressions"/>).
    /// </summary>
    public SegmentOptions Segments() => new()
    {
        WindowDays = WindowDays,
        KeepImpressions = Trainer.Data.Weights.Impression != 0 || (ClickModel.Enabled && ClickModel.ShopImpressions),
    };
}
