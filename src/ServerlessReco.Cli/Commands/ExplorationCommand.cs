using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ServerlessReco.Core.Exploration;
using ServerlessReco.Core.Serving;
using ServerlessReco.Core.Storage;

namespace ServerlessReco.Cli.Commands;

/// <summary><c>reco exploration</c>: online click-through per policy and slot kind, and off-policy estimates of other rates.</summary>
public sealed class ExplorationCommand : ICliCommand
{
    private readonly IEnumerable<KeyValuePair<string, string?>>? _environment;

    public ExplorationCommand()
        : this(environment: null)
    {
    }

    public ExplorationCommand(IEnumerable<KeyValuePair<string, string?>>? environment) => _environment = environment;

    public string Name => "exploration";

    public string Summary => "online click-through per policy and slot kind, and off-policy estimates of other exploration rates";

    public string Usage => $"""
        reco exploration [--days 7] [--rates 0,0.05,0.1,0.2] [--data-dir DIR]

        Reads the logged recommendation lists (impression events) of the last days and the clicks, add-to-carts and
        purchases that cite them, and prints what each policy and slot kind earned online, then what epsilon-greedy at
        each rate would have earned on the same traffic (IPS and self-normalised IPS, per served slot).
          --days N               the window, 1 to 90 days (default 7)
          --rates LIST           exploration rates to estimate (default 0,0.05,0.1,0.2,0.3,0.5 and the configured one)
        {CliServices.ShortcutUsage}
        """;

    public async Task<int> RunAsync(CliArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var days = 7;
        if (arguments.Option("days") is { } d && (!int.TryParse(d, NumberStyles.None, CultureInfo.InvariantCulture, out days) || days is < 1 or > 90))
        {
            throw new CliUsageException("--days must be a whole number from 1 to 90.");
        }

        double[]? rates = null;
        if (arguments.Option("rates") is { } list)
        {
            rates = list.Split(',').Select(r => double.TryParse(r, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var v) ? v : -1).ToArray();
            if (rates.Any(r => r is < 0 or > 1))
            {
                throw new CliUsageException("--rates must be comma-separated numbers from 0 to 1, such as 0,0.1,0.2.");
            }
        }

        await using var services = await CliServices.BuildAsync(arguments, _environment, cancellationToken);
        CliUsage.RejectUnread(arguments);
        var serving = services.GetRequiredService<IOptions<ServingOptions>>().Value;
        var report = await ExplorationReport.ReadAsync(
            services.GetRequiredService<IEventStore>(), services.GetRequiredService<TimeProvider>().GetUtcNow(), days,
            ExplorationEvaluationOptions.From(serving.ToExplorationSettings(), rates), cancellationToken).ConfigureAwait(false);
        Write(report, serving, output);
        return 0;
    }

    public static void Write(ExplorationReport report, ServingOptions serving, TextWriter output)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c, $"{report.LoggedSlots:N0} logged slots from {report.Online.From:u} to {report.Online.To:u}; serving {serving.ExplorationPolicy} at explore {serving.Explore}"));
        if (report.LoggedSlots == 0)
        {
            output.WriteLine("no logged recommendation lists in the window: serve some (GET /api/users/{userId}/recommendations) first");
            return;
        }

        output.WriteLine();
        output.WriteLine("online policy          slots      lists  impressions  clicks     CTR (±95%)   cart rate  conversion");
        foreach (var r in report.Online.Rows)
        {
            output.WriteLine(string.Create(c,
                $"{r.Policy,-22} {r.SlotKind,-8} {r.Lists,7:N0} {r.Impressions,12:N0} {r.Clicks,7:N0}  {r.ClickThroughRate,7:P2} ±{r.ClickThroughRateMargin,6:P2}  {r.AddToCartRate,9:P2}  {r.ConversionRate,9:P2}"));
        }

        if (report.Online.UnattributedRewards > 0)
        {
            output.WriteLine(string.Create(c, $"({report.Online.UnattributedRewards:N0} clicks/carts/purchases cite a list but match no logged slot)"));
        }

        output.WriteLine();
        output.WriteLine("off-policy estimate of click-through per slot, epsilon-greedy at each rate");
        output.WriteLine("explore      IPS  (± s.e.)     SNIPS   effective sample");
        foreach (var e in report.Estimates)
        {
            output.WriteLine(string.Create(c,
                $"{e.Explore,7:0.00}  {e.Ips.Value,7:P2} ±{e.Ips.StandardError,6:P2}  {e.SelfNormalisedIps.Value,8:P2}  {e.Ips.EffectiveSampleSize,17:N0}{(Math.Abs(e.Explore - serving.Explore) < 1e-9 ? "   <- configured" : "")}"));
        }
    }
}
