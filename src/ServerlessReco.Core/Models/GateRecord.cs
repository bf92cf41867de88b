namespace ServerlessReco.Core.Models;

/// <summary>
/// <c>metrics.json</c>'s <c>gate</c>: the intervals a promotion decision rests on. Each comparison is the challenger's
/// nDCG@K minus the other's, paired per hold-out user, with its standard error; the challenger is worse than the other
/// "beyond noise" only when the whole interval lies below the floor (minus the tolerance share of the other's nDCG@K).
/// </summary>
public sealed record GateRecord
{
    /// <summary>How many standard errors the interval spans on each side of the mean difference (1.96: 95%).</summary>
    public double StandardErrors { get; init; }

    /// <summary>The tolerance share of the other's nDCG@K (and of the champion's coverage) the challenger may fall short by.</summary>
    public double Tolerance { get; init; }

    /// <summary>Challenger − champion (null for the first model or when the champion's manifest could not be read).</summary>
    public GateComparison? AgainstChampion { get; init; }

    /// <summary>Challenger − popularity: the bar for the first model, and a floor for every later one.</summary>
    public GateComparison? AgainstPopularity { get; init; }

    /// <summary>Whether the challenger's coverage is within the tolerance of the champion's (null without a champion).</summary>
    public bool? CoverageHolds { get; init; }
}

/// <summary>One paired comparison on nDCG@K, challenger − other.</summary>
/// <param name="Users">Hold-out users paired.</param>
/// <param name="Difference">Mean per-user difference.</param>
/// <param name="StandardError">Its standard error.</param>
/// <param name="Lower">Lower end of the interval (difference − standard errors × standard error).</param>
/// <param name="Upper">Upper end of the interval.</param>
/// <param name="Floor">What <paramref name="Upper"/> must reach: −tolerance × the other's nDCG@K.</param>
/// <param name="NotWorse">Whether it did: the challenger is not worse than the other beyond noise.</param>
public sealed record GateComparison(int Users, double Difference, double StandardError, double Lower, double Upper, double Floor, bool NotWorse);

/// <summary>
/// <c>metrics.json</c>'s <c>content</c>: whether the version carries content vectors, and why (or why not: no text,
/// texts that carry no information such as "item 12345" placeholders, a failure, content lowering nDCG@K on the hold-out).
/// When texts carry information the decision rests on the hold-out: nDCG@K with and without content and their paired interval.
/// </summary>
public sealed record ContentDecision(bool Used, string Reason)
{
    /// <summary>nDCG@K of the hold-out lists with content's items in them (null when no hold-out comparison was made).</summary>
    public double? NdcgWithContent { get; init; }

    /// <summary>nDCG@K of the same lists without content.</summary>
    public double? NdcgWithoutContent { get; init; }

    /// <summary>With − without, paired per hold-out user, by the gate's rule (its floor and whether content is not worse).</summary>
    public GateComparison? Comparison { get; init; }
}
