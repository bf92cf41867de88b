using ServerlessReco.ClickTraining;
using ServerlessReco.Core.ClickPrediction;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Models;
using ServerlessReco.Core.Training;
using ServerlessReco.Lab.Samples;

namespace ServerlessReco.Storage.Tests.Retraining;

/// <summary>
/// The click model trained by a real retrain from the lists in the served-list store and the clicks citing them, on the
/// embedded store and on the emulators: with enough logged lists it trains, is judged off-policy on the newest held-out
/// lists, and when not worse than the logged order it is stored with the version (attachment <c>click-model</c>); with
/// too few lists the version record says why none was trained and the version carries none.
/// </summary>
public abstract partial class TrainingSegmentsContract
{
    /// <summary>
    /// Lists of six random items for the shop's shoppers over the last 20 hours, in random order, and clicks that
    /// depend on the item alone (the first 40 items of the catalogue are clicked half the time, the rest rarely): an
    /// ordering that knows the items beats the logged one, whose order carries nothing.
    /// </summary>
    private async Task ShowListsAsync(SegmentStores stores, SampleShopData shop, int lists)
    {
        var random = new Random(3);
        var users = shop.Events.Select(e => e.UserId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var items = shop.Items.Select(i => i.ItemId).ToList();
        var clicks = new List<BehaviorEvent>();
        for (var l = 0; l < lists; l++)
        {
            var (user, list, at) = (users[random.Next(users.Count)], $"rec-cm-{l:D4}", _now.AddHours(-20).AddMinutes(l * 1200.0 / lists));
            var shown = items.OrderBy(_ => random.Next()).Take(6).ToList();
            await stores.ServedLists.AppendAsync(ShownList(list, user, at, shown), Cancel);
            foreach (var item in shown.Where(item => random.NextDouble() < (items.IndexOf(item) < 40 ? 0.5 : 0.03)))
            {
                clicks.Add(Cited($"cm-{l}-{item}", user, item, EventType.Click, list, at.AddSeconds(30)));
            }
        }

        await stores.Events.AppendAsync(clicks, Cancel);
    }

    private static RetrainService RetrainWithClickModel(SegmentStores stores) =>
        new(stores.Events, stores.ServedLists, new ModelRegistry(stores.Models, TimeProvider.System), new RetrainOptions(), TimeProvider.System,
            new ListLogger(), items: stores.Items, clickTrainer: new LightGbmClickTrainer());

    [Fact]
    public async Task WithEnoughLoggedListsAClickModelTrainsAndServesWithTheVersionWhenNotWorseOffPolicy()
    {
        var (stores, shop) = await LoadShopAsync();
        await ShowListsAsync(stores, shop, lists: 500);

        var result = await RetrainWithClickModel(stores).RunAsync(Cancel);

        var decision = result.Record!.ClickModel!;
        Assert.True(decision.Trained, decision.Reason);
        Assert.True(decision.Serves, decision.Reason);
        Assert.Equal("lightgbm", decision.Trainer);
        Assert.Equal(500, decision.Lists);
        var gate = decision.Gate!;
        Assert.True(gate.Lists >= 30, $"{gate.Lists} held-out lists");
        Assert.True(gate.NotWorse);
        Assert.True(gate.SelfNormalisedIps.Lower > 0, $"SNIPS difference {gate.SelfNormalisedIps.Difference}, interval {gate.SelfNormalisedIps.Lower} to {gate.SelfNormalisedIps.Upper}");
        Assert.True(decision.LogLoss < decision.BaselineLogLoss);
        var stored = (await ModelRegistry(stores).ReadMetricsAsync(result.Version!, Cancel))!.ClickModel;
        Assert.Equal(decision with { Gate = null }, stored! with { Gate = null });
        var artifact = (await ModelRegistry(stores).LoadAsync(result.Version!, Cancel))!;
        var model = ClickModel.FromBytes(artifact.Attachments[ClickModel.AttachmentName]);
        Assert.All(model.Exposures.Users.Keys, user => Assert.StartsWith("pu-", user, StringComparison.Ordinal)); // pseudonyms, as the rows
        Assert.InRange(model.Exposures.Items.Count, shop.Items.Count - 10, shop.Items.Count);
    }

    [Fact]
    public async Task WithTooFewLoggedListsNoClickModelIsTrainedAndTheRecordSaysWhy()
    {
        var (stores, shop) = await LoadShopAsync();
        await ShowListsAsync(stores, shop, lists: 40);

        var result = await RetrainWithClickModel(stores).RunAsync(Cancel);

        var decision = result.Record!.ClickModel!;
        Assert.False(decision.Trained);
        Assert.False(decision.Serves);
        Assert.Contains("40 logged lists", decision.Reason, StringComparison.Ordinal);
        Assert.Contains("at least 200", decision.Reason, StringComparison.Ordinal);
        var artifact = (await ModelRegistry(stores).LoadAsync(result.Version!, Cancel))!;
        Assert.False(artifact.Attachments.ContainsKey(ClickModel.AttachmentName));
    }

    private static ModelRegistry ModelRegistry(SegmentStores stores) => new(stores.Models, TimeProvider.System);
}
