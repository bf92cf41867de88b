using ServerlessReco.Core.Content;
using ServerlessReco.Core.Events;
using ServerlessReco.Core.Serving;

namespace ServerlessReco.Core.Tests.Serving.Stages;

/// <summary>
/// Items only content can score: the small shop's model knows i00..i11, not the new items n1..n3. Content vectors are set
/// by hand (Books one way, Garden another), so what is measured is the serving rule, not the language model.
/// </summary>
public sealed class ContentCandidateTests
{
    private static async Task<ServingState> WithContentAsync()
    {
        var state = await ServingStates.WithModelAsync();
        var ids = ServingStates.Catalogue.Select(c => c.ItemId).ToArray();
        var vectors = ServingStates.Catalogue.Select((c, i) => c.Category == "Books" ? new[] { 1f, 0.05f * i, 0 } : [0, 0.05f * i, 1f]).ToArray();
        var content = ContentEmbeddings.Build(ids, vectors, new ContentOptions { Dimensions = 0, EightBit = false });
        return ServingStates.State(state.Model! with { Content = content });
    }

    private static BehaviorEvent Bought(string item) => ServingStates.Event("shopper", item, EventType.Purchase);

    [Fact]
    public async Task ABookBuyerGetsTheBooksTheModelDoesNotKnowWithTheBookTheyAreLike()
    {
        var state = await WithContentAsync();
        var list = ServingStates.List(state, [Bought("i00"), Bought("i02")]);

        var picked = ContentCandidateSource.Take(list, 5);

        Assert.Equal(["n1", "n3"], picked.Take(2).Select(c => c.Item.ItemId).Order());
        Assert.Equal("n2", picked[^1].Item.ItemId); // the garden item comes last, on its small likeness
        Assert.All(picked, c => Assert.Equal(ReasonKind.Content, c.Item.ReasonKind));
        Assert.All(picked, c => Assert.Matches("^similar to Item [02] you bought$", c.Item.Reason));
        Assert.Contains("n1", list.Taken);
    }

    [Fact]
    public async Task AnItemWithNoInteractionsHasSimilarItemsByContent()
    {
        var state = await WithContentAsync();

        var similar = ContentCandidateSource.Similar(state, "n2", 3, ["n2"]);

        Assert.Equal(3, similar.Count);
        Assert.All(similar, s => Assert.Equal("Garden", s.Category));
        Assert.All(similar, s => Assert.Equal(("similar to New 2", ReasonKind.Content, "n2"), (s.Reason, s.ReasonKind, s.BasedOn)));
        Assert.DoesNotContain(similar, s => s.ItemId == "i11"); // unavailable
    }

    [Fact]
    public async Task TheContentPriorOfAnUnknownItemSaysHowMuchItIsLikeTheBestSellers()
    {
        var state = await WithContentAsync();

        Assert.NotNull(state.Content!.Prior("n1"));
        Assert.Null(state.Content.Prior("no-such-item"));
        Assert.Equal(["n1", "n2", "n3"], state.Content.Cold.Select(i => state.Content.Vectors.Items[i]).Order());
    }

    [Fact]
    public async Task WithoutContentVectorsNothingIsAdded()
    {
        var state = await ServingStates.WithModelAsync();

        Assert.Null(state.Content);
        Assert.Empty(ContentCandidateSource.Take(ServingStates.List(state, [Bought("i00")]), 5));
    }
}
