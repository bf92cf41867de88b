using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ServerlessReco.Core.Recommendation;
using ServerlessReco.Core.Sessions;
using ServerlessReco.Lab.Benchmarks.Sessions;
using ServerlessReco.Lab.Datasets;

namespace ServerlessReco.Cli.Commands;

/// <summary>What the sessions benchmark measured: every row, the grid it ran on train_tr / train_valid and what it chose.</summary>
internal sealed record SessionReport(IReadOnlyList<SessionScore> Rows, IReadOnlyList<(SessionNeighborOptions Options, SessionScore Score)> Grid, SessionNeighborOptions Chosen)
{
    /// <summary>What the retrain on train_full decided, and the blend it chose on its own hold-out.</summary>
    public string Retrain { get; init; } = "";

    public BlendChoice? Blend { get; init; }
}

/// <summary>
/// <c>reco benchmark --models sessions</c>: next-click prediction on YooChoose 100k (<c>shared/data/yoochoose-100k/</c>,
/// see its README). After each click of every test session the next click is the target; HitRate@20 and MRR@20 on the
/// 387 points the session-rec framework's saved lists answer (its AR, SR, GRU4Rec and V-SKNN beside ours) and on every
/// point of the test. Session k-NN's settings are chosen on train_tr → train_valid only (the grid is printed), then
/// everything is trained on train_full and scored once on the test.
/// </summary>
internal static class SessionsSection
{
    /// <summary>Runs the section, prints it and writes sessions.md / sessions.json to <paramref name="outDir"/>.</summary>
    public static async Task<int> ReportAsync(string folder, string command, string outDir, TextWriter output, CancellationToken cancellationToken)
    {
        var report = await RunAsync(folder, output, cancellationToken);
        var markdown = ToMarkdown(report, command);
        output.WriteLine();
        output.Write(markdown);
        Directory.CreateDirectory(outDir);
        await File.WriteAllTextAsync(Path.Combine(outDir, "sessions.md"), markdown, cancellationToken);
        await File.WriteAllTextAsync(
            Path.Combine(outDir, "sessions.json"),
            JsonSerializer.Serialize(new { command, rows = report.Rows, chosen = report.Chosen, blend = report.Blend, retrain = report.Retrain, grid = report.Grid.Select(g => new { g.Options, g.Score.HitRate, g.Score.Mrr }) }, Json),
            cancellationToken);
        output.WriteLine($"Wrote {Path.Combine(outDir, "sessions.md")} and sessions.json");
        return 0;
    }

    public static async Task<SessionReport> RunAsync(string folder, TextWriter output, CancellationToken cancellationToken)
    {
        var trainFull = YooChoose.ReadSessions(Path.Combine(folder, YooChoose.TrainFull));
        var test = YooChoose.ReadSessions(Path.Combine(folder, YooChoose.Test));
        var (grid, chosen) = Tune(folder, output, cancellationToken);
        var all = SessionPoints.All(test);
        var saved = YooChoose.SavedMethods.ToDictionary(m => m, m => YooChoose.ReadSavedLists(Path.Combine(folder, $"recoms_rsc15_100k_{m}.csv")));
        var covered = SessionPoints.Covered(all, saved["vsknn"]);
        output.WriteLine($"sessions: {trainFull.Count:N0} training sessions, {test.Count:N0} test sessions, {all.Count:N0} prediction points, {covered.Count} with saved lists");
        var rows = new List<SessionScore>();
        foreach (var (method, lists) in saved)
        {
            rows.Add(SessionPoints.Score(Published(method), "saved", covered, p => lists[(p.Session, p.Position)]));
        }

        var clock = Stopwatch.StartNew();
        var matrix = SessionTraining.Matrix(SessionTraining.Events(trainFull), new TrainerOptions().Data);
        var popular = TopK.Select([.. matrix.ItemUserCounts.Select(c => (double)c)], SessionPoints.K).Select(i => matrix.Items[i]).ToArray();
        var popularitySeconds = clock.Elapsed.TotalSeconds;
        var index = SessionIndex.Build(matrix, chosen.MaxSessions);
        var seconds = clock.Elapsed.TotalSeconds;
        IReadOnlyList<string> Knn(SessionPoint p) => SessionTraining.Neighbors(index, matrix.Items, p.History, chosen, SessionPoints.K);
        foreach (var (points, name) in new[] { (covered, "saved"), (all, "all") })
        {
            cancellationToken.ThrowIfCancellationRequested();
            rows.Add(SessionPoints.Score("popularity", name, points, _ => popular) with { TrainingSeconds = popularitySeconds });
            rows.Add(SessionPoints.Score("session k-NN alone (no serving rules)", name, points, Knn) with { TrainingSeconds = seconds });
        }

        rows.Add(await ValidationAsync(folder, output, cancellationToken));
        using var serving = new SessionServing();
        await serving.TrainAsync(SessionTraining.Events(trainFull), [], cancellationToken);
        Describe("train_full", serving, output);
        foreach (var (points, name) in new[] { (covered, "saved"), (all, "all") })
        {
            rows.Add(SessionPoints.Score(Served, name, points, p => serving.Recommend(p.History, SessionPoints.K)) with { TrainingSeconds = serving.TrainingSeconds, TrainingCpuSeconds = serving.TrainingCpuSeconds });
        }

        foreach (var r in rows)
        {
            output.WriteLine($"{r.Method,-40} {r.Points,-6} {r.Count,6} HR@20 {r.HitRate:F4} MRR@20 {r.Mrr:F4} repeats {r.RepeatHits}/{r.Repeats}");
        }

        return new SessionReport(rows, grid, chosen) { Retrain = serving.Retrain, Blend = serving.Blend };
    }

    /// <summary>What a retrain decided and chose among, for the console (the test plays no part in any of it).</summary>
    private static void Describe(string split, SessionServing serving, TextWriter output)
    {
        output.WriteLine($"retrain on {split}: {serving.Retrain}; {serving.TrainingSeconds:F1} s (processor {serving.TrainingCpuSeconds:F1} s); blend {serving.Blend?.Weights.ToString() ?? "none"}, repeat half-life {serving.Blend?.RepeatHalfLife}");
        foreach (var c in serving.Blend?.Candidates ?? [])
        {
            output.WriteLine($"  {(c.Chosen ? "chosen" : "tried "),-6} repeat half-life {c.RepeatHalfLife}: {c.Weights}: HR@20 {c.HitRate:F4} MRR@20 {c.Mrr:F4}");
        }
    }

    private const string Served = "ours: retrain, then the served list (RecommendationService)";

    /// <summary>The product trained on train_tr and served on every point of train_valid: its figure without the test.</summary>
    private static async Task<SessionScore> ValidationAsync(string folder, TextWriter output, CancellationToken cancellationToken)
    {
        var train = YooChoose.ReadSessions(Path.Combine(folder, YooChoose.TrainTr));
        var valid = SessionPoints.All(YooChoose.ReadSessions(Path.Combine(folder, YooChoose.TrainValid)));
        using var serving = new SessionServing();
        await serving.TrainAsync(SessionTraining.Events(train), [], cancellationToken);
        Describe("train_tr", serving, output);
        return SessionPoints.Score(Served + ", trained on train_tr", "valid", valid, p => serving.Recommend(p.History, SessionPoints.K)) with { TrainingSeconds = serving.TrainingSeconds, TrainingCpuSeconds = serving.TrainingCpuSeconds };
    }

    private static string Published(string method) => method switch
    {
        "ar" => "AR (saved list)",
        "sr" => "SR (saved list)",
        "gru4rec" => "GRU4Rec (saved list)",
        _ => "V-SKNN (saved list)",
    };

    /// <summary>
    /// Session k-NN's grid on train_tr → train_valid (every point of the validation sessions): the setting with the best
    /// HR@20 + MRR@20 is chosen. The test file is not read here.
    /// </summary>
    private static (List<(SessionNeighborOptions, SessionScore)> Grid, SessionNeighborOptions Chosen) Tune(string folder, TextWriter output, CancellationToken cancellationToken)
    {
        var train = YooChoose.ReadSessions(Path.Combine(folder, YooChoose.TrainTr));
        var valid = SessionPoints.All(YooChoose.ReadSessions(Path.Combine(folder, YooChoose.TrainValid)));
        var matrix = SessionTraining.Matrix(SessionTraining.Events(train), new TrainerOptions().Data);
        var index = SessionIndex.Build(matrix, new SessionNeighborOptions().MaxSessions);
        var grid = new List<(SessionNeighborOptions, SessionScore)>();
        foreach (var idf in new[] { 0.0, 1, 2 })
        {
            foreach (var k in new[] { 50, 100, 200 })
            {
                foreach (var sample in new[] { 500, 1000 })
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var o = new SessionNeighborOptions { IdfWeight = idf, Neighbors = k, Sample = sample };
                    var s = SessionPoints.Score("session k-NN", "valid", valid, p => SessionTraining.Neighbors(index, matrix.Items, p.History, o, SessionPoints.K));
                    output.WriteLine($"train_tr → train_valid, idf weight {idf}, k {k}, sample {sample}: HR@20 {s.HitRate:F4} MRR@20 {s.Mrr:F4}");
                    grid.Add((o, s));
                }
            }
        }

        var chosen = grid.OrderByDescending(g => g.Item2.HitRate + g.Item2.Mrr).First().Item1;
        output.WriteLine($"chosen on train_valid: idf weight {chosen.IdfWeight}, k {chosen.Neighbors}, sample {chosen.Sample}");
        return (grid, chosen);
    }

    public static string ToMarkdown(SessionReport report, string command)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(c, $"`{command}` (session k-NN: idf weight {report.Chosen.IdfWeight}, k {report.Chosen.Neighbors}, sample {report.Chosen.Sample}, chosen on train_tr → train_valid):");
        text.AppendLine();
        if (report.Blend is { } b)
        {
            text.AppendLine(c, $"The retrain on train_full chose, on its own hold-out of {b.Points} clicks of {b.Visits} visits: {b.Weights}, repeat half-life {b.RepeatHalfLife:0.##} events (HR@20 {b.HitRate:F4}, MRR@20 {b.Mrr:F4}; the model alone {b.ModelHitRate:F4}, {b.ModelMrr:F4}). Gate: {report.Retrain}");
            text.AppendLine();
            text.AppendLine("What it chose among (the best HitRate, or within one standard error of it the higher MRR):");
            text.AppendLine();
            foreach (var candidate in b.Candidates)
            {
                text.AppendLine(c, $"- {(candidate.Chosen ? "**chosen**: " : "")}{(candidate.Weights.IsModelOnly ? "the model alone" : $"repeat half-life {candidate.RepeatHalfLife:0.##}: {candidate.Weights}")} (HR@20 {candidate.HitRate:F4}, MRR@20 {candidate.Mrr:F4})");
            }

            text.AppendLine();
        }

        text.AppendLine("| method | prediction points | HR@20 | MRR@20 | next click a repeat: in the top 20 / all | training |");
        text.AppendLine("|---|---|---|---|---|---|");
        foreach (var r in report.Rows)
        {
            var points = r.Points switch
            {
                "saved" => $"the {r.Count} of the saved lists",
                "valid" => $"all {r.Count:N0} of train_valid",
                _ => $"all {r.Count:N0} of the test",
            };
            var training = r.TrainingSeconds is { } s
                ? string.Create(c, $"{s:F1} s{(r.TrainingCpuSeconds is { } cpu ? $" (processor {cpu:F1} s)" : "")}")
                : "(trained elsewhere)";
            text.AppendLine(c, $"| {r.Method} | {points} | {r.HitRate:F4} | {r.Mrr:F4} | {r.RepeatHits} / {r.Repeats} | {training} |");
        }

        return text.ToString();
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
}
