using ServerlessReco.Core.Evaluation;

namespace ServerlessReco.Core.Sessions;

/// <summary>
/// A held-out return: a shopper's events up to the start of their newest visit, asked for a list as serving answers a
/// shopper back after their visit ended, and the items that visit then looked at that were new to them (the truth).
/// </summary>
internal sealed class ReturningPoint(ChoicePoint scores, double[] popularity, IReadOnlySet<int> truth, int truthCount)
{
    /// <summary>
    /// nDCG@<see cref="BlendChoice.K"/> of the list these weights serve: the candidates by blended score, then by
    /// popularity (what serving's trending fill adds once the families have no more to say), seen items left out as
    /// serving leaves them out when repeat interest has no weight. A new item no family scored is a miss.
    /// </summary>
    public double Ndcg(BlendWeights weights)
    {
        var seen = scores.Seen;
        var order = Enumerable.Range(0, seen.Length).Where(c => !seen[c])
            .Select(c => (Candidate: c, Score: scores.Blend(c, weights, 0)))
            .OrderByDescending(c => c.Score > 0 ? c.Score : 0).ThenByDescending(c => popularity[c.Candidate]).ThenBy(c => c.Candidate)
            .Take(BlendChoice.K).Select(c => c.Candidate).ToList();
        return RankingMetrics.Ndcg(order, truth, truthCount, BlendChoice.K);
    }
}

/// <summary>
/// The weights for a shopper back after their visit ended (<see cref="CandidateFamilies.VisitEnded"/>), chosen on
/// held-out returns of the window (<see cref="ReturningPoint"/>): a visit's next click and a return's first looks are
/// different questions (on a category shop the next click follows the visit, the return the shopper's categories), and
/// the return is what a list served later answers. Never worse than the obvious: the visit's blend without repeat
/// interest (the truth is what is new to the shopper, so a seen item can only take a slot) serves, unless category
/// popularity, popularity or the model alone beats it on these returns by more than one standard error of the paired
/// difference in nDCG@20; then the best of those serves.
/// </summary>
public static class ReturningSelection
{
    /// <summary>At most this many returns are held out (enough to tell the obvious from the visit's blend, cheap beside training).</summary>
    public const int MaxReturns = 1000;

    /// <summary>Fewer returns than this choose nothing: returning shoppers get the visit's weights.</summary>
    public const int MinReturns = 20;

    /// <summary>The visit's blend first (what serves without evidence against it), then the obvious lists a shop could serve itself.</summary>
    public static IReadOnlyList<(string Name, BlendWeights Weights)> Candidates(BlendWeights visit)
    {
        ArgumentNullException.ThrowIfNull(visit);
        return
        [
            ("the visit's blend without repeat interest", visit with { Repeat = 0 }),
            ("category popularity", new BlendWeights(0, 0, 1, 0, 0)),
            ("popularity", new BlendWeights(0, 0, 0, 0, 1)),
            ("the model alone", BlendWeights.ModelOnly),
        ];
    }

    /// <summary>The returning shoppers' weights on these returns, given the visit's; null with fewer than <see cref="MinReturns"/>.</summary>
    internal static ReturningBlend? Choose(IReadOnlyList<ReturningPoint> points, BlendWeights visit)
    {
        if (points.Count < MinReturns)
        {
            return null;
        }

        var candidates = Candidates(visit);
        var ndcg = candidates.Select(c => points.Select(p => p.Ndcg(c.Weights)).ToArray()).ToList();
        var chosen = Pick(ndcg);
        return new ReturningBlend(candidates[chosen].Weights, points.Count)
        {
            Candidates =
            [
                .. candidates.Select((c, i) => (c, i, Lead(ndcg[i], ndcg[0]))).Select(x => new ReturningCandidate(x.c.Name, x.c.Weights, ndcg[x.i].Average(), x.Item3.Mean, x.Item3.StandardError)
                {
                    Chosen = x.i == chosen,
                }),
            ],
        };
    }

    /// <summary>
    /// The candidate to serve, given each one's nDCG at every return: the first (the visit's blend), unless the best of
    /// the others leads it by more than one standard error of the paired difference.
    /// </summary>
    internal static int Pick(IReadOnlyList<double[]> ndcg)
    {
        ArgumentNullException.ThrowIfNull(ndcg);
        var best = Enumerable.Range(1, ndcg.Count - 1).Select(c => (Candidate: c, Lead: Lead(ndcg[c], ndcg[0])))
            .OrderByDescending(c => c.Lead.Mean).ThenBy(c => c.Candidate).FirstOrDefault();
        return best.Lead is { } lead && lead.Mean > 0 && lead.Mean > lead.StandardError ? best.Candidate : 0;
    }

    /// <summary>The mean of <paramref name="a"/> − <paramref name="b"/> over the returns (paired: the same returns scored both ways), with its standard error.</summary>
    private static PairedDifference Lead(double[] a, double[] b) => PairedDifference.Of([.. a.Zip(b, (x, y) => x - y)]);
}
