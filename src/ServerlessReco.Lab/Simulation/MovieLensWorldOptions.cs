namespace ServerlessReco.Lab.Simulation;

/// <summary>How the MovieLens world turns the real ratings into a shop (<see cref="MovieLensWorld"/>).</summary>
public sealed record MovieLensWorldOptions
{
    /// <summary>The earliest time cut, as the share of all ratings before it; each seed draws its cut uniformly in [<see cref="CutFrom"/>, <see cref="CutTo"/>].</summary>
    public double CutFrom { get; init; } = 0.4;

    /// <summary>The latest time cut (0.6 leaves about 100 real days after it: 33 simulated days of 3 real days).</summary>
    public double CutTo { get; init; } = 0.6;

    /// <summary>Real MovieLens days in one simulated day (a round): the shop's clock runs this much faster than the data's.</summary>
    public double RealDaysPerRound { get; init; } = 3;

    /// <summary>A shopper's click probability for their best item not yet rated (at the top of a list).</summary>
    public double TopClickProbability { get; init; } = 0.3;

    /// <summary>A shopper's click probability for their median item not yet rated (at the top of a list).</summary>
    public double MedianClickProbability { get; init; } = 0.01;

    /// <summary>The share of clicks that lead to the cart when the predicted rating is the average, 3.5 (rising linearly from 0 at a rating of 1).</summary>
    public double CartAtAverageRating { get; init; } = 0.3;

    /// <summary>The share of carts that are bought.</summary>
    public double PurchaseAfterCart { get; init; } = 0.5;

    /// <summary>
    /// The share of the real ratings after the cut that the shop sees as organic visits, each kept or not by a draw from
    /// the seed. Tastes move on with every rating; the rest happened where the shop cannot see (another device, another
    /// shop), so the shop learns them only through its own lists. 1, the default: the shop sees every rating, and what
    /// its lists teach it adds little to that.
    /// </summary>
    public double ObservedShare { get; init; } = 1;

    public void Validate()
    {
        if (ObservedShare is < 0 or > 1 || double.IsNaN(ObservedShare))
        {
            throw new ArgumentException("MovieLens world: the observed share of ratings lies within 0..1.");
        }

        if (CutFrom is <= 0 or >= 1 || CutTo < CutFrom || CutTo >= 1 || RealDaysPerRound <= 0
            || MedianClickProbability <= 0 || TopClickProbability < MedianClickProbability || TopClickProbability > 1)
        {
            throw new ArgumentException("MovieLens world: cuts within (0, 1) in order, a positive day length, 0 < median ≤ top click probability ≤ 1.");
        }
    }
}
