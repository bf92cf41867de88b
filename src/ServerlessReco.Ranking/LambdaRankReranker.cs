using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.LightGbm;
using ServerlessReco.Core.Evaluation;
using ServerlessReco.Core.Recommendation;

namespace ServerlessReco.Ranking;

public sealed record RerankerOptions
{
    /// <summary>How many of the base model's best items are re-ranked per user.</summary>
    public int Candidates { get; init; } = 50;

    // Small trees: the hold-out the ranker learns from is small and its base model weaker than the one it
    // re-ranks at serving time; deeper trees overfit that gap (measured on ML-100k: 31 leaves lose ~0.015 nDCG).
    public int Iterations { get; init; } = 100;
    public int Leaves { get; init; } = 7;
    public double LearningRate { get; init; } = 0.05;
    public int MinExamplesPerLeaf { get; init; } = 200;
    public int Seed { get; init; } = 42;
}

/// <summary>
/// A LightGBM LambdaRank model (Microsoft.ML) that re-orders a base model's top candidates using the base
/// score and rank with item popularity, item age, the user's activity time and category affinity. Trained on
/// a hold-out carved from the training data (never on the evaluation data), applied on top of the base model
/// retrained on all of it. Thread-safe for prediction.
/// </summary>
public sealed class LambdaRankReranker
{
    public const string AttachmentName = "reranker.mlnet";
    private readonly MLContext _ml;
    private readonly ITransformer _model;

    // PredictionEngine is ML.NET's single-thread scoring path: one per serving thread.
    private readonly ThreadLocal<PredictionEngine<RankingInput, RankingOutput>> _engines;

    private LambdaRankReranker(MLContext ml, ITransformer model, RerankerOptions options)
    {
        _ml = ml;
        _model = model;
        _engines = new ThreadLocal<PredictionEngine<RankingInput, RankingOutput>>(
            () => _ml.Model.CreatePredictionEngine<RankingInput, RankingOutput>(_model));
        Options = options;
    }

    public RerankerOptions Options { get; }

    /// <summary>
    /// Learns to re-rank <paramref name="baseModel"/>'s candidates for the users of <paramref name="train"/>,
    /// labelled by <paramref name="holdout"/> (held-out items per user id).
    /// </summary>
    public static LambdaRankReranker Train(
        IItemScorer baseModel,
        IItemScorer? secondModel,
        InteractionMatrix train,
        ItemSide items,
        IReadOnlyDictionary<string, IReadOnlySet<string>> holdout,
        RerankerOptions? options = null)
    {
        options ??= new RerankerOptions();
        var rows = new List<RankingInput>();
        var scores = new double[train.ItemCount];
        var secondScores = new double[train.ItemCount];
        for (var u = 0; u < train.UserCount; u++)
        {
            if (!holdout.TryGetValue(train.Users[u], out var truth) || truth.Count == 0)
            {
                continue;
            }

            var candidates = Candidates(baseModel, train, u, options.Candidates, scores);
            if (!candidates.Any(c => truth.Contains(train.Items[c])))
            {
                continue; // a group without a positive teaches LambdaRank nothing
            }

            var user = UserOf(train, u);
            var shares = items.TagShares(train.RowItems(u));
            var (second, secondTop) = SecondScores(secondModel, train, u, candidates, secondScores);
            for (var r = 0; r < candidates.Length; r++)
            {
                var features = new float[RankingFeatures.Count];
                RankingFeatures.Fill(features, scores[candidates[r]], scores[candidates[0]], r, candidates[r], items, user, shares, second[candidates[r]], secondTop);
                rows.Add(new RankingInput { Features = features, Label = truth.Contains(train.Items[candidates[r]]) ? 1 : 0, GroupId = (uint)u });
            }
        }

        var ml = new MLContext(options.Seed);
        var data = ml.Data.LoadFromEnumerable(rows);
        var keyed = ml.Transforms.Conversion.MapValueToKey(nameof(RankingInput.GroupId)).Fit(data).Transform(data);
        var trainer = ml.Ranking.Trainers.LightGbm(new LightGbmRankingTrainer.Options
        {
            LabelColumnName = nameof(RankingInput.Label),
            FeatureColumnName = nameof(RankingInput.Features),
            RowGroupColumnName = nameof(RankingInput.GroupId),
            NumberOfIterations = options.Iterations,
            NumberOfLeaves = options.Leaves,
            LearningRate = options.LearningRate,
            MinimumExampleCountPerLeaf = options.MinExamplesPerLeaf,
            Seed = options.Seed,
            // LightGBM's own threads fight .NET's on small machines (slower with 2 than with 1 here).
            NumberOfThreads = 1,
            EvaluationMetric = LightGbmRankingTrainer.Options.EvaluateMetricType.None,
            Silent = true,
        });
        return new LambdaRankReranker(ml, trainer.Fit(keyed), options);
    }

    /// <summary>The base model's best unseen items for a training user; fills <paramref name="scores"/>.</summary>
    internal static int[] Candidates(IItemScorer model, InteractionMatrix data, int user, int count, double[] scores)
    {
        var history = data.RowItems(user);
        model.Score(history, data.RowValues(user), scores);
        foreach (var seen in history)
        {
            scores[seen] = double.NegativeInfinity;
        }

        return TopK.Select(scores, count);
    }

    /// <summary>The second model's scores for the user, and its best score among the candidates.</summary>
    private static (double[] Scores, double Top) SecondScores(IItemScorer? model, InteractionMatrix data, int user, int[] candidates, double[] buffer)
    {
        if (model is null)
        {
            Array.Clear(buffer);
            return (buffer, 0);
        }

        model.Score(data.RowItems(user), data.RowValues(user), buffer);
        var top = 0.0;
        foreach (var c in candidates)
        {
            top = Math.Max(top, buffer[c]);
        }

        return (buffer, top);
    }

    internal static UserSide UserOf(InteractionMatrix data, int user) =>
        new(data.RowItems(user).Length, data.Times.UserLastSeen[user], data.Times.UserMeanSeen[user]);

    /// <summary>Re-ranks candidates (best-first from the base model) and returns the best <paramref name="k"/>.</summary>
    public int[] Rerank(int[] candidates, ReadOnlySpan<double> baseScores, ReadOnlySpan<double> secondScores, ItemSide items, UserSide user, float[] tagShares, int k)
    {
        var secondTop = 0.0;
        foreach (var c in candidates)
        {
            secondTop = Math.Max(secondTop, secondScores.IsEmpty ? 0 : secondScores[c]);
        }

        if (candidates.Length == 0)
        {
            return [];
        }

        var rows = new RankingInput[candidates.Length];
        for (var r = 0; r < candidates.Length; r++)
        {
            var features = new float[RankingFeatures.Count];
            RankingFeatures.Fill(features, baseScores[candidates[r]], baseScores[candidates[0]], r, candidates[r], items, user, tagShares, secondScores.IsEmpty ? 0 : secondScores[candidates[r]], secondTop);
            rows[r] = new RankingInput { Features = features };
        }

        var engine = _engines.Value!;
        var predicted = rows.Select(row => engine.Predict(row).Score).ToArray();
        return Enumerable.Range(0, candidates.Length)
            .OrderByDescending(r => predicted[r]).ThenBy(r => r)
            .Take(k)
            .Select(r => candidates[r])
            .ToArray();
    }

    /// <summary>Top-k for many training users at once (one batch through ML.NET): the offline-evaluation path.</summary>
    public Dictionary<int, int[]> RecommendTrainingUsers(IItemScorer baseModel, IItemScorer? secondModel, InteractionMatrix data, ItemSide items, IReadOnlyList<int> users, int k)
    {
        var secondBuffer = new double[data.ItemCount];
        var candidates = new int[users.Count][];
        var rows = new RankingInput[users.Count * Options.Candidates];
        var count = 0;
        var scores = new double[data.ItemCount];
        for (var x = 0; x < users.Count; x++)
        {
            var u = users[x];
            candidates[x] = Candidates(baseModel, data, u, Options.Candidates, scores);
            var user = UserOf(data, u);
            var shares = items.TagShares(data.RowItems(u));
            var (second, secondTop) = SecondScores(secondModel, data, u, candidates[x], secondBuffer);
            for (var r = 0; r < candidates[x].Length; r++)
            {
                var features = new float[RankingFeatures.Count];
                RankingFeatures.Fill(features, scores[candidates[x][r]], scores[candidates[x][0]], r, candidates[x][r], items, user, shares, second[candidates[x][r]], secondTop);
                rows[count++] = new RankingInput { Features = features };
            }
        }

        var predicted = Predict(rows.AsSpan(0, count).ToArray());
        var result = new Dictionary<int, int[]>();
        var offset = 0;
        for (var x = 0; x < users.Count; x++)
        {
            var c = candidates[x];
            var start = offset;
            result[users[x]] = Enumerable.Range(0, c.Length)
                .OrderByDescending(r => predicted[start + r]).ThenBy(r => r)
                .Take(k).Select(r => c[r]).ToArray();
            offset += c.Length;
        }

        return result;
    }

    private float[] Predict(RankingInput[] rows)
    {
        var scored = _model.Transform(_ml.Data.LoadFromEnumerable(rows));
        return scored.GetColumn<float>("Score").ToArray();
    }

    public byte[] Save()
    {
        using var stream = new MemoryStream();
        var schema = _ml.Data.LoadFromEnumerable(Array.Empty<RankingInput>()).Schema;
        _ml.Model.Save(_model, schema, stream);
        return stream.ToArray();
    }

    public static LambdaRankReranker Load(byte[] payload, RerankerOptions? options = null)
    {
        var ml = new MLContext();
        using var stream = new MemoryStream(payload);
        var model = ml.Model.Load(stream, out _);
        return new LambdaRankReranker(ml, model, options ?? new RerankerOptions());
    }

    /// <summary>Evaluates base model + re-ranker on held-out items, like <see cref="OfflineEvaluation.Evaluate"/>.</summary>
    public EvaluationResult Evaluate(IItemScorer baseModel, IItemScorer? secondModel, InteractionMatrix data, ItemSide items, IReadOnlyDictionary<string, IReadOnlySet<string>> test, int k = 10)
    {
        var users = test.Keys.Select(id => data.Users.TryGetIndex(id, out var u) ? u : -1).Where(u => u >= 0).ToList();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var lists = RecommendTrainingUsers(baseModel, secondModel, data, items, users, k);
        var seconds = clock.Elapsed.TotalSeconds;
        return OfflineEvaluation.Summarise($"{baseModel.Name}+lambdarank", data, lists, test, k, users.Count == 0 ? 0 : seconds * 1e6 / users.Count);
    }

    internal sealed class RankingOutput
    {
        public float Score { get; set; }
    }

    internal sealed class RankingInput
    {
        [VectorType(RankingFeatures.Count)]
        public float[] Features { get; set; } = [];

        public float Label { get; set; }

        public uint GroupId { get; set; }
    }
}
