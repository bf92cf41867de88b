using System.Globalization;

namespace ServerlessReco.Core.Diversity;

/// <summary>
/// How a list is re-ranked for diversity (section <c>Serving:Diversity</c>; app settings
/// <c>Serving__Diversity__MmrLambda</c> and so on). The defaults switch every knob off: the list is the
/// relevance order, unchanged.
/// </summary>
public sealed class DiversityOptions
{
    /// <summary>
    /// Maximal marginal relevance trade-off: each pick maximises λ × relevance − (1 − λ) × its largest category
    /// overlap (Jaccard) with the items already picked. 1 = relevance only (off); 0 = category novelty only.
    /// </summary>
    public double MmrLambda { get; set; } = 1;

    /// <summary>
    /// The largest share of a list any one category may take: at most ⌈share × count⌉ items carry it.
    /// 1 = no cap (off).
    /// </summary>
    public double MaxCategoryShare { get; set; } = 1;

    /// <summary>
    /// β in relevance − β × popularity, both scaled to 0..1 within the candidates (popularity on a log scale):
    /// 0.3 lets the least popular candidate overtake the most popular one when their relevance differs by less
    /// than 30 % of the candidates' relevance range. 0 = off.
    /// </summary>
    public double PopularityPenalty { get; set; }

    /// <summary>How many of the model's best items are re-ranked into the list (at least the list's length).</summary>
    public int Candidates { get; set; } = 100;

    /// <summary>True when re-ranking would return the relevance order unchanged.</summary>
    public bool IsOff => MmrLambda >= 1 && MaxCategoryShare >= 1 && PopularityPenalty <= 0;

    public void Validate()
    {
        // Written as "not inside" so that NaN, which fails every comparison, is rejected too.
        if (!(MmrLambda is >= 0 and <= 1))
        {
            throw new ArgumentException(Invalid(nameof(MmrLambda), MmrLambda, "must be from 0 (category novelty only) to 1 (relevance only, off)"));
        }

        if (!(MaxCategoryShare is > 0 and <= 1))
        {
            throw new ArgumentException(Invalid(nameof(MaxCategoryShare), MaxCategoryShare, "must be above 0 and at most 1 (no cap, off)"));
        }

        if (!(PopularityPenalty >= 0 && double.IsFinite(PopularityPenalty)))
        {
            throw new ArgumentException(Invalid(nameof(PopularityPenalty), PopularityPenalty, "must be 0 (off) or a positive number"));
        }

        if (Candidates < 1)
        {
            throw new ArgumentException(Invalid(nameof(Candidates), Candidates, "must be at least 1"));
        }
    }

    /// <summary>A short description for tables and logs, e.g. "MMR λ 0.7, category cap 0.3".</summary>
    public override string ToString()
    {
        var parts = new List<string>(3);
        if (MmrLambda < 1)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"MMR λ {MmrLambda}"));
        }

        if (MaxCategoryShare < 1)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"category cap {MaxCategoryShare}"));
        }

        if (PopularityPenalty > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"popularity penalty {PopularityPenalty}"));
        }

        return parts.Count == 0 ? "off" : string.Join(", ", parts);
    }

    private static string Invalid(string name, double value, string rule) =>
        string.Create(CultureInfo.InvariantCulture, $"Diversity:{name} {rule}; it was {value}.");
}
