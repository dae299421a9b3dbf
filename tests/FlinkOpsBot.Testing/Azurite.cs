using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Xunit;

namespace FlinkOpsBot.Testing;

/// <summary>
/// Starts Azurite's table service (npm package <c>azurite</c>, pinned in <c>tools/azurite/package.json</c>) on a free
/// loopback port with in-memory persistence, for tests of the Table Storage stores, and kills it afterwards. Use it
/// as a collection fixture so one process serves the whole test assembly; isolate tests with distinct table names.
/// The binary is <c>tools/azurite/node_modules/.bin/azurite-table</c> under the repository root, else the
/// <c>AZURITE_TABLE_BIN</c> environment variable, else <c>azurite-table</c> on PATH. When none exists the fixture
/// fails (it never skips): run <c>scripts/test.sh</c>, or <c>npm ci --prefix tools/azurite</c>.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    /// <summary>Azurite's well-known development account (public, documented by Microsoft; not a secret).</summary>
    public const string AccountName = "devstoreaccount1";

    /// <summary>The development account's key.</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly StringBuilder _output = new();
    private readonly string _workspace = Path.Combine(Path.GetTempPath(), "azurite-" + Guid.NewGuid().ToString("N"));
    private Process? _process;

    /// <summary>The table service endpoint, e.g. <c>http://127.0.0.1:41234/devstoreaccount1</c>.</summary>
    public Uri TableEndpoint { get; private set; } = null!;

    /// <summary>A shared key connection string for the development account on this instance.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};TableEndpoint={TableEndpoint};";

    /// <summary>Starts Azurite and waits until its port accepts connections.</summary>
    /// <exception cref="InvalidOperationException">Azurite is not installed, exited, or did not start in time.</exception>
    public async Task InitializeAsync()
    {
        var binary = FindBinary();
        var port = FreeLoopbackPort();
        Directory.CreateDirectory(_workspace);
        var start = new ProcessStartInfo(binary)
        {
            WorkingDirectory = _workspace,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--tableHost", "127.0.0.1", "--tablePort", port.ToString(CultureInfo.InvariantCulture),
            "--inMemoryPersistence", "--skipApiVersionCheck", "--loose", "--silent", "--disableTelemetry",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {binary}.");
        _process = process;
        process.OutputDataReceived += (_, e) => Capture(e.Data);
        process.ErrorDataReceived += (_, e) => Capture(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        TableEndpoint = new Uri($"http://127.0.0.1:{port}/{AccountName}");
        try
        {
            await WaitUntilListeningAsync(process, port);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>Kills Azurite and its child processes and deletes its workspace.</summary>
    public async Task DisposeAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            process.Dispose();
        }
        if (Directory.Exists(_workspace)) Directory.Delete(_workspace, recursive: true);
    }

    private async Task WaitUntilListeningAsync(Process process, int port)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"Azurite exited with code {process.ExitCode} before listening on port {port}:\n{Output()}");
            }
            if (waited.Elapsed > StartTimeout)
            {
                throw new InvalidOperationException($"Azurite did not listen on port {port} within {StartTimeout.TotalSeconds:0} s:\n{Output()}");
            }
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100));
            }
        }
    }

    private static string FindBinary()
    {
        var name = OperatingSystem.IsWindows() ? "azurite-table.cmd" : "azurite-table";
        var pinned = Path.Combine(RepoPaths.Root, "tools", "azurite", "node_modules", ".bin", name);
        if (File.Exists(pinned)) return pinned;
        if (Environment.GetEnvironmentVariable("AZURITE_TABLE_BIN") is { Length: > 0 } configured)
        {
            return File.Exists(configured)
                ? configured
                : throw new InvalidOperationException($"AZURITE_TABLE_BIN is {configured}, which does not exist.");
        }
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);
        return onPath ?? throw new InvalidOperationException(
            $"Azurite is not installed: no {pinned}, no AZURITE_TABLE_BIN, and no {name} on PATH. " +
            "Run scripts/test.sh, or `npm ci --prefix tools/azurite` (or `npm install --prefix tools/azurite`) from the repository root.");
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Capture(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    private string Output()
    {
        lock (_output) return _output.ToString();
    }
}
