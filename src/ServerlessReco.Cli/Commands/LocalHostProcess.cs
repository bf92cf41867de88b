using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using ServerlessReco.LocalHost;

namespace ServerlessReco.Cli.Commands;

/// <summary>
/// A fresh local host in a child process: the <c>ServerlessReco.LocalHost</c> build that comes with the CLI, on a free
/// loopback port, with an embedded store in a temporary folder of its own, an admin key, and the settings given.
/// Started, it answers <c>GET /api/openapi.json</c>; disposed, it is stopped and its folder removed.
/// </summary>
internal sealed class LocalHostProcess : IAsyncDisposable
{
    private static readonly TimeSpan ReadyWithin = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly string _folder;
    private readonly StringBuilder _log = new();

    private LocalHostProcess(Process process, string folder, Uri address, string adminKey)
    {
        _process = process;
        _folder = folder;
        Address = address;
        AdminKey = adminKey;
    }

    public Uri Address { get; }

    public string AdminKey { get; }

    /// <summary>What the host wrote to its output and error so far (warnings and errors: it logs at Warning).</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public static async Task<LocalHostProcess> StartAsync(IReadOnlyList<string> settings, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("reco-simulate-http-").FullName;
        var address = new Uri($"http://127.0.0.1:{FreePort()}/");
        var adminKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var start = new ProcessStartInfo(DotnetHost(), [
            Path.Combine(AppContext.BaseDirectory, "ServerlessReco.LocalHost.dll"),
            "--urls", address.ToString().TrimEnd('/'),
            $"--Embedded:DataDirectory={folder}",
            $"--{LocalAdminKey.Setting}={adminKey}",
            "--Logging:LogLevel:Default=Warning",
            .. settings])
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // A fresh embedded store, whatever Azure settings this shell carries.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("Cosmos__", StringComparison.OrdinalIgnoreCase) || k.StartsWith("ModelStorage__", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The local host could not be started.");
        var host = new LocalHostProcess(process, folder, address, adminKey);
        process.OutputDataReceived += (_, e) => host.Append(e.Data);
        process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await host.WaitUntilReadyAsync(cancellationToken).ConfigureAwait(false);
            return host;
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The local host exited with code {_process.ExitCode} before it answered:{Environment.NewLine}{Log}");
            }

            try
            {
                using var response = await client.GetAsync("api/openapi.json", cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Listening, but too busy starting to answer within the timeout.
            }

            if (waited.Elapsed > ReadyWithin)
            {
                throw new TimeoutException($"The local host did not answer within {ReadyWithin.TotalSeconds:0} s:{Environment.NewLine}{Log}");
            }

            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Ends the host at once with SIGKILL, as a crash or a platform recycle would: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync().ConfigureAwait(false);
        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    /// <summary>A port free now (the system picks it); the host binds it a moment later.</summary>
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The dotnet executable running this process (dotnet reco.dll, dotnet test), else the one the SDK names, else dotnet on the path.</summary>
    private static string DotnetHost()
    {
        var self = Environment.ProcessPath;
        if (self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            return self;
        }

        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } sdk ? sdk : "dotnet";
    }
}
