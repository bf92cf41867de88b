using System.Diagnostics;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Lab.Datasets;

namespace ServerlessReco.Lab.Benchmarks.NextItem;

/// <summary>
/// One setting of a model to try: the data settings its matrix is built with, how it trains on it, and the λ of its
/// EASE part (0 for models without one), which the models built on EASE keep.
/// </summary>
public sealed record NextItemCandidate(string Settings, TrainingOptions Data, Func<InteractionMatrix, IItemScorer> Train, double Lambda = 0);

/// <summary>A model with its settings chosen on validation, and its figures on the test items.</summary>
public sealed record NextItemResult(string Model, NextItemCandidate Chosen, double ValidationNdcg, NextItemScores Test, double TrainingSeconds);

/// <summary>
/// The next-item benchmark on MovieLens-100k (<see cref="NextItemSplit"/>): each model's settings chosen on the
/// second-to-last item, then trained on all but the last (events → matrix → model, timed) and scored on the last, all
/// items ranked with the user's seen items removed.
/// </summary>
public static class NextItemBenchmark
{
    /// <summary>Plain events: every rating weighs 1, no clock decay, no weighting by place in the history.</summary>
    public static TrainingOptions Unordered { get; } = new() { HalfLife = null };

    public static TrainingOptions Recency(double halfLife) => Unordered with { HistoryHalfLife = halfLife };

    public static IEnumerable<NextItemCandidate> Popularity() =>
        [new("all-time counts", Unordered, m => new PopularityModel(m))];

    public static IEnumerable<NextItemCandidate> Sar() =>
        [new("Jaccard, 30-day time decay", TrainingOptions.SarBenchmark, m => SarModel.Train(m, new SarOptions()))];

    public static IEnumerable<NextItemCandidate> Ease() =>
        from lambda in new[] { 50.0, 100, 200, 400 }
        select new NextItemCandidate($"λ {lambda}", Unordered, m => SequenceModel.Train(m, new SequenceOptions { Lambda = lambda, TransitionWeight = 0 }), lambda);

    /// <summary>EASE over the history weighted by place (the sequence model without transitions).</summary>
    public static IEnumerable<NextItemCandidate> RecencyEase(double lambda) =>
        from h in new[] { 3.0, 5, 10, 20, 40 }
        select new NextItemCandidate($"λ {lambda}, history half-life {h} items", Recency(h), m => SequenceModel.Train(m, new SequenceOptions { Lambda = lambda, TransitionWeight = 0 }));

    public static IEnumerable<NextItemCandidate> Sequence(double lambda) =>
        from h in new[] { 5.0, 10, 20 }
        from beta in new[] { 1.0, 2, 4 }
        from sharpness in new[] { 2.0, 3 }
        select new NextItemCandidate(
            $"λ {lambda}, history half-life {h} items, transitions × {beta}, sharpness {sharpness}",
            Recency(h),
            m => SequenceModel.Train(m, new SequenceOptions { Lambda = lambda, TransitionWeight = beta, TransitionSharpness = sharpness }));

    /// <summary>Chooses among <paramref name="candidates"/> on validation, then trains and scores the best on the test.</summary>
    public static async Task<NextItemResult> RunAsync(string model, NextItemSplit split, IEnumerable<NextItemCandidate> candidates, CancellationToken cancellationToken = default)
    {
        NextItemCandidate? best = null;
        var bestNdcg = double.NegativeInfinity;
        foreach (var candidate in candidates)
        {
            var (scores, _) = await TrainAndScoreAsync(candidate, split.Validation, cancellationToken);
            if (scores.Ndcg > bestNdcg)
            {
                (best, bestNdcg) = (candidate, scores.Ndcg);
            }
        }

        var chosen = best ?? throw new ArgumentException("No settings to choose from.", nameof(candidates));
        var (test, seconds) = await TrainAndScoreAsync(chosen, split.Test, cancellationToken);
        return new NextItemResult(model, chosen, bestNdcg, test, seconds);
    }

    /// <summary>Trains one setting on a fold (events → matrix → model, timed) and scores it on the fold's held-out items.</summary>
    public static async Task<(NextItemScores Scores, double Seconds)> TrainAndScoreAsync(NextItemCandidate candidate, NextItemFold fold, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var matrix = await InteractionMatrixBuilder.BuildAsync(fold.Events(cancellationToken), candidate.Data, cancellationToken: cancellationToken);
        var model = candidate.Train(matrix);
        var seconds = clock.Elapsed.TotalSeconds;
        return (NextItemScores.Of(model, matrix, fold), seconds);
    }

    /// <summary>Reads the ratings file and splits it (optionally with each user's training order shuffled).</summary>
    public static NextItemSplit Split(string path, int? shuffleSeed = null) => NextItemSplit.Create(MovieLens.ReadRatings(path), shuffleSeed);
}
