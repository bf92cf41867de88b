namespace ServerlessReco.Core.Clicks;

/// <summary>How a retrain keeps the click model's training rows and when it trains one.</summary>
public sealed record ClickModelOptions
{
    /// <summary>Whether retraining keeps the rows of the lists shown (<see cref="ClickLog"/>) and trains a click model from them.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>
    /// How long after a list was shown an outcome citing it still labels its rows: the rows of the last this-many hours
    /// are labelled again at each run, since a click can come after the run that logged its list.
    /// </summary>
    public TimeSpan LabelPeriod { get; init; } = TimeSpan.FromHours(24);

    /// <summary>
    /// Whether shop-posted <c>impression</c> events (a shop that logs lists of its own, citing them in its clicks) become
    /// rows too. Off by default: they are kept in the training segments only then, and a new impression then counts as
    /// new training data for the skip check, as any event does.
    /// </summary>
    public bool ShopImpressions { get; init; }

    /// <summary>Fewer logged lists (personal, in the window) than this: no click model is trained, serving keeps today's order.</summary>
    public int MinimumLists { get; init; } = 200;

    /// <summary>Fewer engaged slots (clicked, carted or bought) than this: no click model is trained.</summary>
    public int MinimumClicks { get; init; } = 50;

    /// <summary>How rows are weighted (<see cref="ClickWeighting"/>): position as a feature alone, or with propensity weights too.</summary>
    public ClickWeighting Weighting { get; init; } = ClickWeighting.None;
}
