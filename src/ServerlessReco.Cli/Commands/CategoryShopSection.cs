using System.CommandLine;
using System.Text.Json;
using ServerlessReco.Lab.Benchmarks.CategoryShop;

namespace ServerlessReco.Cli.Commands;

/// <summary>
/// <c>reco benchmark --models category-shop</c>: issue 21's check on a generated Taobao-like log (<see cref="CategoryShopWorld"/>),
/// each seed in this process (<see cref="CategoryShopInProcess"/>: the ranking alone) and through the HTTP API of a fresh local host (<see cref="LocalHostProcess"/>: its own embedded store, the
/// shop's default settings), scored beside popularity, category popularity and item-to-item co-occurrence of the same
/// events (<see cref="CategoryShopRun"/>). The window ends 30 days before now: older than trending's 7-day window, as the
/// issue's log was.
/// </summary>
internal static class CategoryShopSection
{
    /// <summary>How many shops <c>--models category-shop</c> generates: seeds 1..N.</summary>
    public static Option<int> SeedsOption() => new("--seeds") { HelpName = "N", Description = "shops generated for --models category-shop, seeds 1..N, each in process and through a fresh local host", DefaultValueFactory = _ => 3 };

    /// <summary>The size of each shop: <c>issue</c> (as issue 21's log) or <c>small</c> (for tests).</summary>
    public static Option<string> ScaleOption() => new("--scale")
    {
        HelpName = "SIZE",
        Description = "the category shop's size: issue (66,000 shoppers, 85,000 items, 110,000 events, 3,000 returning, as issue 21's log) or small",
        DefaultValueFactory = _ => "issue",
    };

    /// <summary>The retrain logs its choice of blend at Information; the host otherwise logs at Warning.</summary>
    private const string BlendLine = "Retrain chose the blend";

    /// <summary>The retrain's line on the weights for shoppers back after their visit ended, logged beside the blend.</summary>
    private const string ReturningLine = "Retrain chose for shoppers back after their visit ended";

    public static async Task<int> ReportAsync(string scale, int seeds, string command, string outDir, TextWriter output, CancellationToken cancellationToken)
    {
        var options = CategoryShopOptions.ForScale(scale);
        var results = new List<CategoryShopSeed>();
        var blends = new List<string>();
        var progress = new Progress<string>(output.WriteLine);
        for (var seed = 1; seed <= seeds; seed++)
        {
            var now = DateTimeOffset.UtcNow;
            var world = CategoryShopWorld.Generate(options with { Seed = seed }, now.AddDays(-30));
            output.WriteLine($"seed {seed}: {world.Items.Count:N0} items, {world.Events.Count:N0} events of {world.Events.Select(e => e.UserId).Distinct().Count():N0} shoppers, {world.Later.Count:N0} returning with new items to look at");
            await using var host = await LocalHostProcess.StartAsync(["--Logging:LogLevel:ServerlessReco.Core.Training=Information"], cancellationToken);
            using var client = new HttpClient { BaseAddress = host.Address, Timeout = TimeSpan.FromMinutes(30) };
            var result = await new CategoryShopRun(client, host.AdminKey).RunAsync(world, progress, cancellationToken);
            var (inProcess, retrain) = await CategoryShopInProcess.RunAsync(world, now, cancellationToken);
            output.WriteLine($"seed {seed}: in process: {retrain}");
            result = result with { Methods = [result.Methods[0], inProcess, .. result.Methods.Skip(1)] };
            var chosen = host.Log.Split('\n').Where(l => l.Contains(BlendLine, StringComparison.Ordinal) || l.Contains(ReturningLine, StringComparison.Ordinal)).Select(l => l.Trim()).ToList();
            var blend = chosen.Count > 0 ? string.Join(" ", chosen) : "no blend chosen";
            blends.Add($"seed {seed}: {blend}");
            output.WriteLine(blends[^1]);
            foreach (var m in result.Methods)
            {
                output.WriteLine($"seed {seed}: {m.Method,-30} nDCG@20 {m.MeanNdcg:F4}  HR@20 {m.MeanHitRate:F4}");
            }

            results.Add(result);
        }

        var report = new CategoryShopReport(options, results);
        var markdown = report.ToMarkdown(command) + Environment.NewLine + string.Join(Environment.NewLine, blends.Select(b => $"- {b}")) + Environment.NewLine;
        output.WriteLine();
        output.Write(markdown);
        Directory.CreateDirectory(outDir);
        await File.WriteAllTextAsync(Path.Combine(outDir, "category-shop.md"), markdown, cancellationToken);
        await File.WriteAllTextAsync(
            Path.Combine(outDir, "category-shop.json"),
            JsonSerializer.Serialize(new
            {
                command,
                options,
                rows = report.Rows,
                blends,
                seeds = results.Select(s => new { s.Seed, s.Shoppers, s.Version, s.RetrainSeconds, s.SeenSlots, s.ListsBySource, s.EmptyLists, s.SlotsByReason, methods = s.Methods.Select(m => new { m.Method, m.MeanNdcg, m.MeanHitRate }) }),
            }, Json),
            cancellationToken);
        output.WriteLine($"Wrote {Path.Combine(outDir, "category-shop.md")} and category-shop.json");
        return 0;
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };
}
