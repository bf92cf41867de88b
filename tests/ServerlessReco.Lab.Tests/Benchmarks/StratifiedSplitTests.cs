using System.Security.Cryptography;
using System.Text;
using ServerlessReco.Core.Tests.Evaluation;
using ServerlessReco.Lab.Benchmarks;
using ServerlessReco.Lab.Datasets;
namespace ServerlessReco.Lab.Tests.Benchmarks;

public class StratifiedSplitTests
{
    [Fact]
    public void MersenneTwisterMatchesNumpySeed42()
    {
        var random = new MersenneTwister(42);
        Assert.Equal(0.3745401188473625, random.NextDouble());
        Assert.Equal(0.9507143064099162, random.NextDouble());
    }

    [Fact]
    public void ItemWithTwoRowsKeepsBothInTrainBecauseHalfRoundsToEven()
    {
        var rows = new List<RatingRow> { new(1, 7, 5, 1), new(2, 7, 4, 2), new(1, 8, 3, 3), new(2, 8, 3, 4), new(3, 8, 3, 5), new(4, 8, 3, 6) };
        var (train, test) = StratifiedSplit.ByItem(rows);
        Assert.Equal(2, train.Count(r => r.Item == 7));
        Assert.Equal(3, train.Count(r => r.Item == 8));
        Assert.Single(test);
    }

    [Fact]
    public void Ml100kSplitMatchesMicrosoftRecommenders()
    {
        var (train, test) = Ml100k.RequireSplit();
        Assert.Equal(75_066, train.Count);
        Assert.Equal(24_934, test.Count);
        Assert.Equal("c338c0f9d184c75dd853d4b737652de5", Md5(train));
        Assert.Equal("1e4356113b712788a479240995fed3fd", Md5(test));
    }

    private static string Md5(IEnumerable<RatingRow> rows)
    {
        var text = string.Join('\n', rows.OrderBy(r => r.User).ThenBy(r => r.Item)
            .Select(r => FormattableString.Invariant($"{r.User}\t{r.Item}\t{r.Rating}\t{r.Timestamp}")));
        return Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
