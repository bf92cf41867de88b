using System.Runtime.InteropServices;
using ServerlessReco.Core.Models;

namespace ServerlessReco.Core.Clicks;

/// <summary>
/// Whether the click model may serve: on the newest logged lists, held out from the trees, the top half of each list
/// as the click model would order its slots against the top half the logged policy showed, in engaged slots per list.
/// Each slot's outcome is weighted by 1 / its logged propensity (clipped at <see cref="ClickModelTraining.MaxWeight"/>),
/// which undoes the logging policy's choice of what reached the list at all: a slot explored at 10 % speaks for the ten
/// lists it was not drawn into. IPS sums the weighted outcomes; SNIPS divides by the weights (lower variance). The
/// intervals are 95 % percentile bootstraps of the difference over lists (seeded, so a rerun decides the same).
/// The click model passes when neither estimate puts it below the logged ranking beyond its interval.
/// </summary>
/// <remarks>
/// Only logged slots can be judged (the candidate pool is not logged, and outcomes are known only for what was shown),
/// so this compares orderings of what was shown. Position favours the logged order: its top half was seen at the top
/// positions, the click model's picks from the bottom half were not. The comparison is therefore conservative.
/// </remarks>
public static class ClickModelGate
{
    public const int BootstrapSamples = 400;

    /// <summary>Fewer judged lists than this: the click model does not serve (nothing to judge it on).</summary>
    public const int MinimumLists = 30;

    /// <param name="rows">The held-out rows in serving order (one list's slots together).</param>
    /// <param name="predictions">The click model's probability of each row.</param>
    public static ClickModelGateRecord? Judge(IReadOnlyList<ClickRow> rows, IReadOnlyList<double> predictions, int seed = 17)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(predictions);
        var lists = Lists(rows, predictions);
        if (lists.Count < MinimumLists)
        {
            return null;
        }

        var random = new Random(seed);
        var (ipsDiffs, snipsDiffs) = (new double[BootstrapSamples], new double[BootstrapSamples]);
        var sample = new ListTerms[lists.Count];
        for (var b = 0; b < BootstrapSamples; b++)
        {
            for (var i = 0; i < sample.Length; i++)
            {
                sample[i] = lists[random.Next(lists.Count)];
            }

            var (ips, snips) = Estimate(sample);
            (ipsDiffs[b], snipsDiffs[b]) = (ips.Model - ips.Logged, snips.Model - snips.Logged);
        }

        var (ipsAll, snipsAll) = Estimate(CollectionsMarshal.AsSpan(lists));
        var ipsEstimate = Summarise(ipsAll, ipsDiffs);
        var snipsEstimate = Summarise(snipsAll, snipsDiffs);
        return new ClickModelGateRecord(lists.Count, ipsEstimate, snipsEstimate, ipsEstimate.Upper >= 0 && snipsEstimate.Upper >= 0);
    }

    /// <summary>One list's terms: weighted outcomes and weights of the click model's top half and of the logged top half.</summary>
    private readonly record struct ListTerms(double ModelReward, double ModelWeight, double LoggedReward, double LoggedWeight, int Half);

    private static List<ListTerms> Lists(IReadOnlyList<ClickRow> rows, IReadOnlyList<double> predictions)
    {
        var result = new List<ListTerms>();
        var start = 0;
        while (start < rows.Count)
        {
            var end = start + 1;
            while (end < rows.Count && rows[end].ListId == rows[start].ListId && rows[end].UserId == rows[start].UserId)
            {
                end++;
            }

            // A shop's own impressions have no position or policy: nothing to compare orderings on.
            if (end - start >= 2 && rows[start].Origin == ClickRowOrigin.Served)
            {
                result.Add(Terms(rows, predictions, start, end));
            }

            start = end;
        }

        return result;
    }

    private static ListTerms Terms(IReadOnlyList<ClickRow> rows, IReadOnlyList<double> predictions, int start, int end)
    {
        var half = (end - start) / 2;
        var byModel = Enumerable.Range(start, end - start).OrderByDescending(r => predictions[r]).ThenBy(r => rows[r].Position).Take(half);
        var byLog = Enumerable.Range(start, end - start).OrderBy(r => rows[r].Position).Take(half);
        var (modelReward, modelWeight) = Sum(rows, byModel);
        var (loggedReward, loggedWeight) = Sum(rows, byLog);
        return new ListTerms(modelReward, modelWeight, loggedReward, loggedWeight, half);
    }

    private static (double Reward, double Weight) Sum(IReadOnlyList<ClickRow> rows, IEnumerable<int> picked)
    {
        var (reward, weight) = (0.0, 0.0);
        foreach (var r in picked)
        {
            var w = Weight(rows[r].Propensity);
            (reward, weight) = (reward + (rows[r].Engaged ? w : 0), weight + w);
        }

        return (reward, weight);
    }

    private static double Weight(double propensity) =>
        Math.Min(ClickModelTraining.MaxWeight, 1 / Math.Max(propensity, 1 / ClickModelTraining.MaxWeight));

    /// <summary>IPS (weighted engaged slots per list) and SNIPS (the weighted rate × slots judged per list), for both orderings.</summary>
    private static ((double Model, double Logged) Ips, (double Model, double Logged) Snips) Estimate(ReadOnlySpan<ListTerms> lists)
    {
        double mr = 0, mw = 0, lr = 0, lw = 0, slots = 0;
        foreach (var l in lists)
        {
            (mr, mw, lr, lw, slots) = (mr + l.ModelReward, mw + l.ModelWeight, lr + l.LoggedReward, lw + l.LoggedWeight, slots + l.Half);
        }

        var perList = slots / lists.Length;
        return ((mr / lists.Length, lr / lists.Length), (mw == 0 ? 0 : mr / mw * perList, lw == 0 ? 0 : lr / lw * perList));
    }

    private static ClickPolicyEstimate Summarise((double Model, double Logged) estimate, double[] differences)
    {
        Array.Sort(differences);
        var lower = differences[(int)(0.025 * (differences.Length - 1))];
        var upper = differences[(int)Math.Ceiling(0.975 * (differences.Length - 1))];
        return new ClickPolicyEstimate(estimate.Model, estimate.Logged, estimate.Model - estimate.Logged, lower, upper);
    }
}
