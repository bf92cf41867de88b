using System.Globalization;

namespace ServerlessReco.Lab.Benchmarks.NextItem;

/// <summary>Runs every row of the next-item benchmark and the order control, as <c>reco benchmark</c> prints them.</summary>
public static class NextItemRun
{
    public static async Task<NextItemReport> RunAsync(string path, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        var split = NextItemBenchmark.Split(path);
        var popularity = await Report(NextItemBenchmark.RunAsync("popularity", split, NextItemBenchmark.Popularity(), cancellationToken), progress);
        var (days, recentValidation, recent) = RecentPopularity.Run(split);
        var sar = await Report(NextItemBenchmark.RunAsync("SAR", split, NextItemBenchmark.Sar(), cancellationToken), progress);
        var ease = await Report(NextItemBenchmark.RunAsync("EASE", split, NextItemBenchmark.Ease(), cancellationToken), progress);
        var lambda = ease.Chosen.Lambda;
        var recencyEase = await Report(NextItemBenchmark.RunAsync("recency-weighted EASE", split, NextItemBenchmark.RecencyEase(lambda), cancellationToken), progress);
        var sequence = await Report(NextItemBenchmark.RunAsync("sequence model", split, NextItemBenchmark.Sequence(lambda), cancellationToken), progress);
        var reference = recencyEase.Test;
        var rows = new List<NextItemRow> { Row(popularity, reference), RecentRow(days, recentValidation, recent, reference), Row(sar, reference), Row(ease, reference), Row(recencyEase, reference), Row(sequence, reference) };
        var shuffle = await ShuffledAsync(path, sequence, recencyEase, cancellationToken);
        progress?.Report($"shuffled order: sequence {shuffle.SequenceNdcg:F4}, recency-weighted EASE {shuffle.RecencyEaseNdcg:F4}");
        return new NextItemReport(rows, shuffle);
    }

    /// <summary>
    /// The chosen settings of the sequence model and of recency-weighted EASE, trained and scored again with each
    /// user's training order shuffled: if the sequence model's lead does not shrink, it is not learning order.
    /// </summary>
    private static async Task<ShuffleCheck> ShuffledAsync(string path, NextItemResult sequence, NextItemResult recencyEase, CancellationToken cancellationToken)
    {
        var shuffled = NextItemBenchmark.Split(path, shuffleSeed: 42);
        var (sequenceShuffled, _) = await NextItemBenchmark.TrainAndScoreAsync(sequence.Chosen, shuffled.Test, cancellationToken);
        var (easeShuffled, _) = await NextItemBenchmark.TrainAndScoreAsync(recencyEase.Chosen, shuffled.Test, cancellationToken);
        return new ShuffleCheck(sequenceShuffled.Ndcg, easeShuffled.Ndcg, sequence.Test.Ndcg - recencyEase.Test.Ndcg, sequenceShuffled.Ndcg - easeShuffled.Ndcg);
    }

    private static async Task<NextItemResult> Report(Task<NextItemResult> running, IProgress<string>? progress)
    {
        var result = await running;
        progress?.Report($"{result.Model,-22} nDCG@10 {result.Test.Ndcg:F4} ± {result.Test.StandardError:F4} ({result.Chosen.Settings}; validation {result.ValidationNdcg:F4}) train {result.TrainingSeconds:F2}s");
        return result;
    }

    private static NextItemRow Row(NextItemResult result, NextItemScores reference) => new()
    {
        Model = result.Model,
        Source = "ours",
        Settings = result.Chosen.Settings,
        ValidationNdcg = result.ValidationNdcg,
        Ndcg = result.Test.Ndcg,
        HitRate = result.Test.HitRate,
        StandardError = result.Test.StandardError,
        VersusRecencyEase = ReferenceEquals(result.Test, reference) ? null : result.Test.Against(reference),
        TrainingSeconds = result.TrainingSeconds,
    };

    private static NextItemRow RecentRow(double days, double validation, NextItemScores test, NextItemScores reference) => new()
    {
        Model = "recent popularity",
        Source = "ours",
        Settings = string.Create(CultureInfo.InvariantCulture, $"counts of the {days} days before the held-out rating"),
        ValidationNdcg = validation,
        Ndcg = test.Ndcg,
        HitRate = test.HitRate,
        StandardError = test.StandardError,
        VersusRecencyEase = test.Against(reference),
    };
}
