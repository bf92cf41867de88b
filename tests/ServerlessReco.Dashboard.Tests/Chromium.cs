using Microsoft.Playwright;

namespace ServerlessReco.Dashboard.Tests;

/// <summary>
/// Debian's chromium-headless-shell, which tests/run.sh installs with apt when it is absent (Playwright cannot download
/// its own browsers here). RECO_TEST_CHROMIUM names another executable. Without one the browser tests skip, unless
/// RECO_TEST_REQUIRE_EMULATORS=1 (tests/run.sh) says they must run: then they fail, saying what to install.
/// </summary>
internal static class Chromium
{
    private const string PathVariable = "RECO_TEST_CHROMIUM";
    private const string DebianPath = "/usr/bin/chromium-headless-shell";

    private static string ExecutablePath => Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } named ? named : DebianPath;

    /// <summary>What to install when there is no browser to drive; null when there is one.</summary>
    public static string? Missing() => File.Exists(ExecutablePath)
        ? null
        : $"No browser at {ExecutablePath}: install Debian's chromium-headless-shell (apt-get install chromium-headless-shell, " +
          $"as tests/run.sh does) or set {PathVariable} to a Chromium executable.";

    public static async Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            // As root (CI, containers) Chromium refuses to start with its sandbox.
            Args = Environment.UserName == "root" ? ["--no-sandbox"] : [],
        });
    }
}

/// <summary>Skip a test whose environment is missing, or fail it when RECO_TEST_REQUIRE_EMULATORS=1 says it must be there.</summary>
internal static class Requirement
{
    public static void SkipOrFail(string message)
    {
        if (Environment.GetEnvironmentVariable("RECO_TEST_REQUIRE_EMULATORS") == "1")
        {
            Assert.Fail(message);
        }

        Assert.Skip(message);
    }
}
