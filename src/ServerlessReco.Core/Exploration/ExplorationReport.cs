using System.Text.Json.Serialization;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Core.Exploration;

/// <summary>Which exploration rates to estimate offline, and the budget and new-item boost the estimated policies use.</summary>
public sealed record ExplorationEvaluationOptions
{
    public IReadOnlyList<double> Rates { get; init; } = [0, 0.05, 0.1, 0.2, 0.3, 0.5];
    public int Budget { get; init; } = 2;
    public double NewItemBoost { get; init; } = 1;

    /// <summary>The serving policy's budget and boost, and its default rate among the rates.</summary>
    public static ExplorationEvaluationOptions From(ExplorationSettings serving, IEnumerable<double>? rates = null)
    {
        ArgumentNullException.ThrowIfNull(serving);
        return new()
        {
            Rates = (rates ?? new ExplorationEvaluationOptions().Rates).Append(serving.Explore).Select(r => Math.Round(r, 2)).Distinct().Order().ToArray(),
            Budget = serving.Budget,
            NewItemBoost = serving.NewItemBoost,
        };
    }
}

/// <summary>
/// The logged slots whose propensity the policy estimated by Monte Carlo (a standard error above 0), and the mean and
/// largest of those standard errors; all 0 when every logged propensity is exact.
/// </summary>
public sealed record MonteCarloPropensities(int Slots, double MeanStandardError, double MaxStandardError)
{
    /// <summary>Every propensity exact.</summary>
    public static MonteCarloPropensities None { get; } = new(0, 0, 0);

    public static MonteCarloPropensities Of(IEnumerable<AttributedImpression> slots)
    {
        var errors = slots.Select(s => s.Impression.PropensityStandardError).Where(e => e > 0).ToArray();
        return errors.Length == 0 ? None : new(errors.Length, errors.Average(), errors.Max());
    }
}

/// <summary>
/// The exploration figures of a window: what each policy and slot kind earned online, and what each candidate
/// exploration rate would have earned according to off-policy evaluation of the same logs.
/// </summary>
public sealed record ExplorationReport(OnlineReport Online, IReadOnlyList<RateEstimate> Estimates, int LoggedSlots)
{
    /// <summary>
    /// How many logged propensities are Monte Carlo estimates. The admin route reports it; it is not stored with a model
    /// version's report, whose stored shape stays as it was.
    /// </summary>
    [JsonIgnore]
    public MonteCarloPropensities MonteCarlo { get; init; } = MonteCarloPropensities.None;

    public static ExplorationReport Build(ExplorationLog log, DateTimeOffset from, DateTimeOffset to, ExplorationEvaluationOptions options) =>
        new(OnlineReport.Build(log, from, to),
            log.Slots.Count == 0 ? [] : ExplorationRateEvaluation.Evaluate(log.Slots, options.Rates, options.Budget, options.NewItemBoost),
            log.Slots.Count)
        {
            MonteCarlo = MonteCarloPropensities.Of(log.Slots),
        };

    /// <summary>Reads the window [now − days, now) from the stores (one pass over each) and builds the report.</summary>
    public static async Task<ExplorationReport> ReadAsync(
        IServedListStore lists, IEventStore events, DateTimeOffset now, int days, ExplorationEvaluationOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lists);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        var from = now.AddDays(-days);
        var log = await ExplorationLog.ReadAsync(lists.ReadAsync(from, null, cancellationToken), events.ReadAllAsync(from, null, cancellationToken), cancellationToken).ConfigureAwait(false);
        return Build(log, from, now, options);
    }
}
