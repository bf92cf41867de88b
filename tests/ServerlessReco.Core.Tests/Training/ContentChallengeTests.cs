using ServerlessReco.Core.Content;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Core.Training;

namespace ServerlessReco.Core.Tests.Training;

/// <summary>
/// Content earns its place on the hold-out: kept when the items its vectors point at are what users take next, left
/// out with the figures when its (informative) vectors have nothing to do with what they take.
/// </summary>
public class ContentChallengeTests
{
    private const int Groups = 4;
    private const int GroupItems = 5;
    private const int NewItems = 3;
    private static readonly int[][] Triples = [.. Subsets()];

    [Fact]
    public void TextsThatPredictWhatUsersTakeNextAreUsed()
    {
        // Each user took three of their group's five items; what they take next are the group's new items, which the
        // model has never seen and whose vectors point the way of the group's.
        var (holdOut, vectors) = Shop(heldOutIsNew: true, vectorsFollowGroups: true);

        var decision = ContentChallenge.Decide(holdOut, ModelKind.Ease, vectors, Build(vectors), new RetrainOptions(), TestContext.Current.CancellationToken);

        Assert.True(decision.Used, decision.Reason);
        Assert.Equal(0, decision.NdcgWithoutContent);
        Assert.True(decision.NdcgWithContent > 0.3, $"with content {decision.NdcgWithContent}");
        Assert.True(decision.Comparison!.Lower > 0, decision.Reason);
        Assert.StartsWith("32 items with informative texts have content vectors; on the hold-out", decision.Reason, StringComparison.Ordinal);
        Assert.Contains($"nDCG@10 {decision.NdcgWithContent:F4} with content, 0.0000 without", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void InformativeTextsUnrelatedToWhatUsersTakeAreNotUsedAndTheReasonSaysByHowMuch()
    {
        // What users take next are the other two of their group's known items (the model ranks them first); the new
        // items' vectors are words that say something, but nothing about the groups: they only push the model's hits down.
        var (holdOut, vectors) = Shop(heldOutIsNew: false, vectorsFollowGroups: false);

        var decision = ContentChallenge.Decide(holdOut, ModelKind.Ease, vectors, Build(vectors), new RetrainOptions(), TestContext.Current.CancellationToken);

        Assert.False(decision.Used, decision.Reason);
        var c = decision.Comparison!;
        Assert.True(c.Upper < c.Floor, $"interval {c.Lower}..{c.Upper}, floor {c.Floor}");
        Assert.True(decision.NdcgWithContent < decision.NdcgWithoutContent);
        Assert.StartsWith($"content lowered nDCG@10 on the hold-out: {c.Difference:+0.0000;-0.0000;0.0000} ± {1.96 * c.StandardError:F4}", decision.Reason, StringComparison.Ordinal);
        Assert.Contains($"{decision.NdcgWithContent:F4} with content, {decision.NdcgWithoutContent:F4} without", decision.Reason, StringComparison.Ordinal);
    }

    private static ContentBuild Build(ContentEmbeddings vectors) => new(vectors, vectors.Items.Count, vectors.Items.Count, 0, 0);

    private static (HoldOut HoldOut, ContentEmbeddings Vectors) Shop(bool heldOutIsNew, bool vectorsFollowGroups)
    {
        var builder = new InteractionMatrixBuilder(new TrainingOptions());
        var heldOut = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        var time = 1_700_000_000L;
        for (var g = 0; g < Groups; g++)
        {
            for (var u = 0; u < 30; u++)
            {
                var user = $"u{g}-{u}";
                var took = Triples[u % Triples.Length];
                foreach (var i in took)
                {
                    builder.Add(user, $"k{g}-{i}", 1, time++);
                }

                heldOut[user] = heldOutIsNew
                    ? new HashSet<string>(Enumerable.Range(0, NewItems).Select(n => $"n{g}-{n}"), StringComparer.Ordinal)
                    : new HashSet<string>(Enumerable.Range(0, GroupItems).Where(i => !took.Contains(i)).Select(i => $"k{g}-{i}"), StringComparer.Ordinal);
            }
        }

        var random = new Random(21);
        var (ids, list) = (new List<string>(), new List<float[]>());
        for (var g = 0; g < Groups; g++)
        {
            foreach (var id in Enumerable.Range(0, GroupItems).Select(i => $"k{g}-{i}").Concat(Enumerable.Range(0, NewItems).Select(n => $"n{g}-{n}")))
            {
                var v = new float[16];
                for (var d = 0; d < v.Length; d++)
                {
                    v[d] = (float)(random.NextDouble() - 0.5) * (vectorsFollowGroups ? 0.2f : 1f);
                }

                if (vectorsFollowGroups)
                {
                    v[g] += 1; // the group's direction
                }
                else
                {
                    v[15] += 0.5f; // one word every text shares: cosines stay positive, so content always has items to offer
                }

                ids.Add(id);
                list.Add(v);
            }
        }

        return (new HoldOut(builder.Build(), heldOut), ContentEmbeddings.Build(ids, list, new ContentOptions()));
    }

    private static IEnumerable<int[]> Subsets()
    {
        for (var a = 0; a < GroupItems; a++)
        {
            for (var b = a + 1; b < GroupItems; b++)
            {
                for (var c = b + 1; c < GroupItems; c++)
                {
                    yield return [a, b, c];
                }
            }
        }
    }
}
