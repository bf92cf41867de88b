using ServerlessReco.Core.Exploration;
namespace ServerlessReco.Lab.Simulation;

/// <summary>
/// One served list as the simulator saw it: the ranked candidates the policy drew from with each one's true click
/// probability for that shopper at that moment, how many slots the policy filled, and the true click probabilities of
/// the slots shown by rule (new arrivals). Enough to value any epsilon-greedy rate on exactly this request.
/// </summary>
public sealed record SimulatedList(
    string RecommendationId, IReadOnlyList<Candidate> Candidates, IReadOnlyList<double> CandidateProbabilities, int PolicySlots,
    IReadOnlyList<double> FixedSlotProbabilities)
{
    public int Slots => PolicySlots + FixedSlotProbabilities.Count;

    /// <summary>
    /// The world's position discount at each policy slot's place in the list, in list order (null: 1 everywhere); the
    /// fixed slots' probabilities already include theirs.
    /// </summary>
    public IReadOnlyList<double>? PolicySlotDiscounts { get; init; }

    /// <summary>The expected clicks (true probabilities × discount) of the slots the policy decided, summed.</summary>
    public double PolicySlotExpected { get; init; }

    /// <summary>The list positions (0: the top) the shopper clicked.</summary>
    public IReadOnlyList<int> ClickedPositions { get; init; } = [];

    /// <summary>The discount at the policy's slot <paramref name="slot"/>.</summary>
    public double Discount(int slot) => PolicySlotDiscounts is { } d && slot < d.Count ? d[slot] : 1;
}

/// <summary>A policy's closed-loop run: the figures of the issue, what the retrains did, and every served list.</summary>
/// <param name="Result">Clicks (reward), expected clicks, the oracle's expected clicks, regret, coverage, exposure Gini, clicks per round.</param>
/// <param name="Retrains">Retrain runs that trained a challenger (skipped runs not counted).</param>
/// <param name="Promotions">Challengers promoted by the gate and then loaded by serving.</param>
/// <param name="ServedSlots">Slots shown in all lists (each logged as an impression event by the service).</param>
public sealed record ServingSimulationRun(
    SimulationResult Result, int Retrains, int Promotions, int ServedSlots, IReadOnlyList<SimulatedList> Lists, TimeSpan Elapsed)
{
    /// <summary>Clicks per served slot: the value the off-policy estimators estimate.</summary>
    public double ClickThroughRate => ServedSlots == 0 ? 0 : Result.CumulativeReward / ServedSlots;

    /// <summary>Each retrain's off-policy estimates against what the next period then earned (<see cref="NextPeriodCheck"/>).</summary>
    public IReadOnlyList<NextPeriodComparison> NextPeriod { get; init; } = [];

    /// <summary>
    /// Clicks per slot over the places <paramref name="logged"/>'s policy decided, list by list (every run of a seed
    /// serves the same requests in the same order): the value an off-policy estimate from that run's logs estimates,
    /// per slot the policy decided. A fixed slot (the new arrival) sits at a list's end; leaving its place out of one
    /// side only would compare the top nine places with all ten, the weakest included.
    /// </summary>
    public double ClickThroughRateOver(ServingSimulationRun logged)
    {
        ArgumentNullException.ThrowIfNull(logged);
        if (logged.Lists.Count != Lists.Count)
        {
            return ClickThroughRate;
        }

        double clicks = 0, slots = 0;
        for (var r = 0; r < Lists.Count; r++)
        {
            var places = logged.Lists[r].PolicySlots;
            clicks += Lists[r].ClickedPositions.Count(p => p < places);
            slots += Math.Min(places, Lists[r].Slots);
        }

        return slots == 0 ? 0 : clicks / slots;
    }
}
