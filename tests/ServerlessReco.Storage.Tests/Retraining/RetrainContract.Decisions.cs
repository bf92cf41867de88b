using ServerlessReco.Core.Models;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Core.Sessions;

namespace ServerlessReco.Storage.Tests.Retraining;

/// <summary>The version record, as stored, says what the retrain chose on the hold-out and why: model kind and blend.</summary>
public abstract partial class RetrainContract
{
    [Fact]
    public async Task TheStoredRecordSaysWhichModelKindAndWhichCandidateFamiliesTheHoldOutChose()
    {
        var store = await CreateStoreAsync();
        await LoadShopAsync();

        var result = await Service(store).RunAsync(Cancel);

        var registry = new ModelRegistry(store, TimeProvider.System);
        var stored = (await registry.ReadMetricsAsync(result.Version!, Cancel))!;

        // auto fitted every kind this catalogue allows on the same hold-out, and the record names the one it kept.
        var candidates = stored.ModelCandidates!;
        Assert.Equal(
            ModelKinds.AutoCandidates(stored.Items, new TrainerOptions()).Select(k => k.Name()),
            candidates.Select(c => c.ModelKind));
        var chosen = Assert.Single(candidates, c => c.Chosen);
        Assert.Equal(stored.ModelKind, chosen.ModelKind);
        Assert.Equal(stored.Scores, chosen.Scores);
        Assert.All(candidates, c => Assert.Equal(stored.Scores!.Users, c.Scores.Users));

        // The blend in the record is the one the version serves with (blend.json), with the figures that chose it.
        var blend = stored.Blend!;
        var served = BlendChoice.From((await registry.LoadAsync(result.Version!, Cancel))!);
        Assert.True(blend.Chosen, blend.Reason);
        Assert.NotNull(served);
        Assert.Equal(served.Weights, blend.Weights);
        Assert.Equal((served.Points, served.HitRate, served.Mrr, served.ModelHitRate, served.ModelMrr), (blend.Points!.Value, blend.HitRate!.Value, blend.Mrr!.Value, blend.ModelHitRate!.Value, blend.ModelMrr!.Value));
        Assert.True(blend.HitRate + blend.Mrr >= blend.ModelHitRate + blend.ModelMrr, "the weights start from the model alone and move only when they help");
        Assert.StartsWith($"chosen on {served.Points} held-out clicks of {served.Visits} visits: HR@20 ", blend.Reason, StringComparison.Ordinal);
        Assert.Equal(served.RepeatHalfLife, blend.RepeatHalfLife);
        var picked = Assert.Single(blend.Candidates!, c => c.Chosen);
        Assert.Equal((served.Weights, served.RepeatHalfLife, served.HitRate), (picked.Weights, picked.RepeatHalfLife, picked.HitRate));
        // And the weights for shoppers back after their visit ended, as served (none without returns in the window).
        Assert.Equal(served.Returning?.Weights, blend.Returning?.Weights);
        Assert.Equal(served.Returning?.Candidates.Select(c => (c.Name, c.Ndcg, c.Chosen)), blend.Returning?.Candidates.Select(c => (c.Name, c.Ndcg, c.Chosen)));
        Assert.Contains("; for shoppers back after their visit ended: ", blend.Reason, StringComparison.Ordinal);

        // Without a content step the record holds no content decision: content is off, not "not used".
        Assert.Null(stored.Content);
    }
}
