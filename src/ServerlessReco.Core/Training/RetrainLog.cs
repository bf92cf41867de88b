using Microsoft.Extensions.Logging;
using ServerlessReco.Core.Exploration;

namespace ServerlessReco.Core.Training;

/// <summary>The retrain's longer structured log entries: the hold-out figures and the exploration report.</summary>
internal static class RetrainLog
{
    public static void Scores(ILogger logger, HoldOutScores scores)
    {
        var (challenger, popularity) = (scores.Challenger.Scores, scores.Popularity.Scores);
        if (scores.Champion?.Scores is not { } champion)
        {
            logger.LogInformation(
                "Retrain scored on a hold-out of {HoldOutUsers} users: challenger nDCG@10 {ChallengerNdcg:F4} P@10 {ChallengerPrecision:F4} coverage {ChallengerCoverage:F4}; no champion; popularity nDCG@10 {PopularityNdcg:F4} coverage {PopularityCoverage:F4}",
                challenger.Users, challenger.Ndcg, challenger.Precision, challenger.Coverage,
                popularity.Ndcg, popularity.Coverage);
            return;
        }

        logger.LogInformation(
            "Retrain scored on a hold-out of {HoldOutUsers} users: challenger nDCG@10 {ChallengerNdcg:F4} P@10 {ChallengerPrecision:F4} coverage {ChallengerCoverage:F4}; champion {ChampionVersion} nDCG@10 {ChampionNdcg:F4} P@10 {ChampionPrecision:F4} coverage {ChampionCoverage:F4}; popularity nDCG@10 {PopularityNdcg:F4} coverage {PopularityCoverage:F4}",
            challenger.Users, challenger.Ndcg, challenger.Precision, challenger.Coverage,
            scores.ChampionVersion, champion.Ndcg, champion.Precision, champion.Coverage,
            popularity.Ndcg, popularity.Coverage);
    }

    public static void Exploration(ILogger logger, ExplorationReport report)
    {
        if (report.LoggedSlots == 0)
        {
            logger.LogInformation("Retrain found no logged recommendation lists in the window: no exploration figures");
            return;
        }

        foreach (var row in report.Online.Rows)
        {
            logger.LogInformation(
                "Retrain online {Policy} {SlotKind}: {Impressions} impressions, click-through {ClickThroughRate:P2}, conversion {ConversionRate:P2}",
                row.Policy, row.SlotKind, row.Impressions, row.ClickThroughRate, row.ConversionRate);
        }

        foreach (var estimate in report.Estimates)
        {
            logger.LogInformation(
                "Retrain off-policy estimate for exploration {Explore}: click-through IPS {Ips:P2} ± {IpsError:P2}, SNIPS {Snips:P2}, effective sample {EffectiveSampleSize:F0}",
                estimate.Explore, estimate.Ips.Value, estimate.Ips.StandardError, estimate.SelfNormalisedIps.Value, estimate.Ips.EffectiveSampleSize);
        }
    }
}
