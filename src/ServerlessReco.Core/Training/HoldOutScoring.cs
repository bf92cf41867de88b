using System.Text.Json;
using ServerlessReco.Core.Evaluation;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Models;
using ServerlessReco.Core.Recommendation;

namespace ServerlessReco.Core.Training;

/// <summary>The training window split in two: each user's older items to fit on, and their newest items held out.</summary>
public sealed record HoldOut(InteractionMatrix Train, Dictionary<string, IReadOnlySet<string>> HeldOut);

/// <summary>
/// The figures the gate compares, all on one hold-out; the champion's only when its manifest could be read; and the
/// model kind the challenger is (what <c>auto</c> chose on the hold-out).
/// </summary>
public sealed record HoldOutScores(ScoredModel Challenger, ScoredModel Popularity, ScoredModel? Champion, string? ChampionVersion, ModelKind ChallengerKind)
{
    /// <summary>Every model kind fitted on the training part and its figures, the chosen one among them (one for a named kind).</summary>
    public IReadOnlyList<ModelCandidate> Candidates { get; init; } = [];
}

/// <summary>
/// The score step: challenger, champion and popularity fitted on the same training part and scored on the same
/// held-out items. The champion is refitted from its recorded settings (model kind, options, event weights: all in
/// its manifest), not judged by its served weights: those were trained on events now in the hold-out, which would
/// flatter it.
/// </summary>
/// <param name="readWindow">Reads the training window's events again (the champion's data settings may differ).</param>
internal sealed class HoldOutScoring(Func<CancellationToken, IAsyncEnumerable<BehaviorEvent>> readWindow, RetrainOptions options)
{
    /// <summary>
    /// The figures, and the challenger's kind fitted on the training part when it was the last model fitted (null
    /// otherwise: only one fitted model is kept at a time): what the content challenger serves the hold-out from
    /// (<see cref="ContentChallenge"/>), so it is not trained again.
    /// </summary>
    public async Task<(HoldOutScores Scores, ModelArtifact? Fitted)> ScoreAsync(
        HoldOut holdOut, ModelManifest? champion, string? championVersion, CancellationToken cancellationToken)
    {
        var (kind, challenger, fitted, candidates) = ChooseChallenger(holdOut, champion is not null && ModelKinds.TryParse(champion.ModelKind, out var k) ? k : null, cancellationToken);
        var popularity = Score(new PopularityModel(holdOut.Train), holdOut.Train, holdOut.HeldOut);
        if (champion is null)
        {
            return (new HoldOutScores(challenger, popularity, null, null, kind) { Candidates = candidates }, fitted);
        }

        var challengerOptions = options.Trainer with { Model = kind };
        var championScores = await ScoreChampionAsync(ChampionOptions(champion), challengerOptions, challenger, holdOut, cancellationToken)
            .ConfigureAwait(false);
        return (new HoldOutScores(challenger, popularity, championScores, championVersion, kind) { Candidates = candidates }, fitted);
    }

    /// <summary>
    /// The challenger's kind, scores and (when it was fitted last) model. A named kind is trained as asked; <c>auto</c>
    /// fits every candidate the catalogue allows (<see cref="ModelKinds.AutoCandidates"/>) and keeps one on the hold-out
    /// by the gate's own rule (<see cref="RetrainGate.ChooseKind"/>; the first on a tie).
    /// </summary>
    private (ModelKind Kind, ScoredModel Scores, ModelArtifact? Fitted, ModelCandidate[] Candidates) ChooseChallenger(HoldOut holdOut, ModelKind? championKind, CancellationToken cancellationToken)
    {
        var trainer = options.Trainer;
        ModelKind[] kinds = trainer.Model != ModelKind.Auto ? [trainer.Model] : ModelKinds.AutoCandidates(holdOut.Train.ItemCount, trainer).ToArray();
        var scores = new List<ScoredModel>(kinds.Length);
        ModelArtifact? last = null;
        foreach (var kind in kinds)
        {
            last = null; // a dense model can take a gigabyte: never two at once
            last = Trainer.Train(holdOut.Train, trainer with { Model = kind }, cancellationToken: cancellationToken);
            scores.Add(Score(last.Model, holdOut.Train, holdOut.HeldOut));
        }

        var chosen = RetrainGate.ChooseKind(scores, options.Tolerance, options.StandardErrors, championKind is { } c ? Array.IndexOf(kinds, c) : -1);
        var candidates = kinds.Select((k, i) => new ModelCandidate(ModelKinds.Name(k), scores[i].Scores, i == chosen)).ToArray();
        return (kinds[chosen], scores[chosen], chosen == kinds.Length - 1 ? last : null, candidates);
    }

    /// <summary>The settings that trained the champion, from its manifest.</summary>
    internal static TrainerOptions ChampionOptions(ModelManifest manifest)
    {
        var result = new TrainerOptions { Data = manifest.Training, Model = ModelKinds.Parse(manifest.ModelKind) };
        return (result.Model, manifest.ModelOptions) switch
        {
            (ModelKind.Ease, { } e) => result with { Ease = e.Deserialize<EaseOptions>(ModelArtifact.Json) ?? new() },
            (ModelKind.Sar, { } e) => result with { Sar = e.Deserialize<SarOptions>(ModelArtifact.Json) ?? new() },
            (ModelKind.Sequence, { } e) => result with { Sequence = e.Deserialize<SequenceOptions>(ModelArtifact.Json) ?? new() },
            _ => result,
        };
    }

    private async Task<ScoredModel> ScoreChampionAsync(
        TrainerOptions champion, TrainerOptions challenger, ScoredModel challengerScores, HoldOut holdOut, CancellationToken cancellationToken)
    {
        if (SameSettings(champion, challenger))
        {
            return challengerScores;
        }

        if (SameData(champion.Data, challenger.Data))
        {
            return Score(Trainer.Train(holdOut.Train, champion, cancellationToken: cancellationToken).Model, holdOut.Train, holdOut.HeldOut);
        }

        // Other weights, decay or thresholds make another matrix: read the window again with them, hold out by the same
        // rule, and score against the challenger's held-out items (by id), so both answer the same questions.
        // REVIEW: a second read of the window's segments, only when the data settings changed. Segments keep
        // impressions only when the challenger's settings weigh them, so a champion that weighed them is refitted without.
        var championData = await InteractionMatrixBuilder.BuildAsync(readWindow(cancellationToken), champion.Data, null, cancellationToken).ConfigureAwait(false);
        var (championTrain, _) = championData.HoldOutLatest(options.HoldOutFraction, options.HoldOutMinItems);
        return Score(Trainer.Train(championTrain, champion, cancellationToken: cancellationToken).Model, championTrain, holdOut.HeldOut, holdOut.Train.ItemCount);
    }

    /// <summary>
    /// The figures of one model on the hold-out. Coverage is the share of <paramref name="catalogue"/> (the
    /// challenger's items) that the lists reach, so models trained on different item sets compare fairly.
    /// </summary>
    private ScoredModel Score(IItemScorer model, InteractionMatrix train, Dictionary<string, IReadOnlySet<string>> heldOut, int? catalogue = null)
    {
        var result = OfflineEvaluation.Evaluate(model, train, heldOut, options.K);
        var a = result.Accuracy;
        var reached = result.Recommendations.Values.SelectMany(l => l).Distinct(StringComparer.Ordinal).Count();
        var coverage = (catalogue ?? train.ItemCount) is var n and > 0 ? (double)reached / n : 0;
        var perUser = new Dictionary<string, double>(heldOut.Count, StringComparer.Ordinal);
        foreach (var (user, truth) in heldOut)
        {
            perUser[user] = truth.Count == 0 || !result.Recommendations.TryGetValue(user, out var ranked) ? 0 : RankingMetrics.Ndcg(ranked, truth, options.K);
        }

        return new ScoredModel(new ModelScores(options.K, a.Users, a.Ndcg, a.Precision, a.Recall, a.Map, coverage), perUser);
    }

    /// <summary>
    /// Same model kind, options and data settings: refitting the champion would give the challenger's model
    /// again (training is deterministic), so its scores are reused.
    /// </summary>
    private static bool SameSettings(TrainerOptions champion, TrainerOptions challenger)
    {
        static string Key(TrainerOptions o) => JsonSerializer.Serialize(
            new { o.Data, o.Model, Options = o.Model switch { ModelKind.Sar => (object)o.Sar, ModelKind.Sequence => o.Sequence, _ => o.Ease } }, ModelArtifact.Json);
        return Key(champion) == Key(challenger);
    }

    private static bool SameData(TrainingOptions a, TrainingOptions b) =>
        JsonSerializer.Serialize(a, ModelArtifact.Json) == JsonSerializer.Serialize(b, ModelArtifact.Json);
}
