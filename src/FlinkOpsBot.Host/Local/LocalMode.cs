using System.Globalization;
using FlinkOpsBot.Core.Chat;
using FlinkOpsBot.Core.Steps;
using FlinkOpsBot.Core.Storage;
using FlinkOpsBot.FlinkSim;
using FlinkOpsBot.Host.Composition;

namespace FlinkOpsBot.Host.Local;

/// <summary>
/// <c>local</c>: the bot with nothing configured. Starts a FlinkSim cluster in-process with the demo jobs (cluster
/// <c>demo</c>, the default) and its CMF demo (cluster <c>demo-cmf</c>: environment <c>demo-env</c> with two applications,
/// a compute pool and a Kafka catalog), an in-memory store, the HTTP host on 127.0.0.1:5080, and the shell on the terminal (or a script, or nothing with
/// <c>--headless</c>). Slack or Table Storage settings, when present, are honoured as in server mode. With
/// <c>--cluster-url URL</c> it drives a Flink REST endpoint that runs elsewhere (e.g. a FlinkSim started on its own,
/// so the cluster outlives the host, as the chaos harness in <c>bench/chaos</c> needs) instead of starting FlinkSim.
/// </summary>
internal static class LocalMode
{
    public const string DemoCluster = "demo";

    /// <summary>Local mode's second cluster: the in-process FlinkSim's CMF (platform <c>cmf</c>, environment <see cref="DemoCmfEnvironment"/>).</summary>
    public const string DemoCmfCluster = "demo-cmf";

    /// <summary>The CMF environment of FlinkSim's CMF demo.</summary>
    public const string DemoCmfEnvironment = "demo-env";
    public const string Usage = """
        Usage: FlinkOpsBot.Host local [--script FILE] [--timeout SECONDS] [--headless] [--urls URL] [--cluster-url URL]
          --script FILE      read the shell's lines from FILE (# starts a comment) and exit when every run has ended
          --timeout SECONDS  how long a script may take in all (default 120)
          --headless         no shell: serve HTTP only, until Ctrl+C
          --urls URL         where the HTTP host listens (default http://127.0.0.1:5080)
          --cluster-url URL  drive the Flink REST endpoint at URL as cluster 'demo' (e.g. a FlinkSim of its own,
                             http://127.0.0.1:8081) instead of starting FlinkSim in-process; no deployment records are
                             seeded, so give upgrades --rollback-jar unless the bot deployed the job itself
        """;

    /// <summary>
    /// Local mode's policy when none is configured (appsettings.json or <c>FLINKOPSBOT_Authorization__Rules__…</c>):
    /// every local user (<c>local::*</c>, any <c>as NAME:</c>) may request and approve anything, self-approval included;
    /// the gate's note says so on the card.
    /// </summary>
    internal static readonly Dictionary<string, string?> PermissivePolicy = new()
    {
        ["Authorization:Rules:0:Channel"] = "local",
        ["Authorization:Rules:0:Requesters:0"] = "local::*",
        ["Authorization:Rules:0:Approvers:0"] = "local::*",
        ["Authorization:Rules:0:AllowSelfApproval"] = "true",
        ["Authorization:Rules:0:Note"] = "Local mode: self-approval is allowed because this is local mode (one person at one terminal), and the local " +
            "policy is permissive: any local user (`as NAME: …`) may request and approve anything. In Slack or Teams the Authorization rules decide, " +
            "and another person must approve.",
    };

    /// <summary>
    /// Where a relative <c>--script</c> path may be: the shell's directory first, then the process's. <c>dotnet run</c>
    /// starts a web project in the project's directory (the Web SDK's <c>RunWorkingDirectory</c>), so
    /// <c>dotnet run --project src/FlinkOpsBot.Host -- local --script samples/upgrade-demo.flink</c> typed at the
    /// repository's root must be resolved against the directory it was typed in, which Unix shells pass on as <c>PWD</c>.
    /// </summary>
    internal static IEnumerable<string> ScriptCandidates(string file)
    {
        if (Path.IsPathRooted(file))
        {
            yield return file;
            yield break;
        }
        if (Environment.GetEnvironmentVariable("PWD") is { Length: > 0 } shell && Path.IsPathRooted(shell)) yield return Path.GetFullPath(file, shell);
        yield return Path.GetFullPath(file);
    }

    /// <summary>The first of <see cref="ScriptCandidates"/> that exists, or null.</summary>
    internal static string? ResolveScript(string file) => ScriptCandidates(file).FirstOrDefault(File.Exists);

    public static async Task<int> RunAsync(string[] args)
    {
        if (!TryParse(args, out var options, out var problem))
        {
            await Console.Error.WriteLineAsync(problem + "\n" + Usage);
            return 2;
        }
        string[]? script = null;
        if (options.Script is { } file)
        {
            if (ResolveScript(file) is not { } path)
            {
                await Console.Error.WriteLineAsync($"The script {file} does not exist (looked in {string.Join(" and ", ScriptCandidates(file).Distinct())}).");
                return 2;
            }
            script = await File.ReadAllLinesAsync(path);
        }

        if (AddressInUse(options.Urls) is { } taken)
        {
            await Console.Error.WriteLineAsync($"{taken} is already in use (another FlinkOpsBot in local mode?). Stop it, or pass --urls with another port, e.g. --urls http://127.0.0.1:0 for any free one.");
            return 2;
        }

        await using var sim = options.ClusterUrl is null ? await FlinkSimServer.StartAsync(FlinkSimOptions.Demo()) : null;
        if (sim is not null) SeedLocalDemo(sim.Cluster);
        var clusterUrl = options.ClusterUrl ?? sim!.BaseAddress;

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], EnvironmentName = "Local" });
        var settings = new Dictionary<string, string?>
        {
            ["Flink:Clusters:0:Name"] = DemoCluster,
            ["Flink:Clusters:0:BaseUrl"] = clusterUrl.ToString(),
            ["Flink:Clusters:0:ValidationWindow"] = "00:00:05",
            ["Flink:Clusters:0:PollInterval"] = "00:00:00.250",
            ["Storage:InMemory"] = "true",
        };
        if (sim is not null)
        {
            // The same FlinkSim serves CMF under /cmf/api/v1; `demo` stays the default cluster.
            settings["Flink:DefaultCluster"] = DemoCluster;
            settings["Flink:Clusters:1:Name"] = DemoCmfCluster;
            settings["Flink:Clusters:1:Platform"] = "cmf";
            settings["Flink:Clusters:1:Environment"] = DemoCmfEnvironment;
            settings["Flink:Clusters:1:BaseUrl"] = sim.BaseAddress.ToString();
            settings["Flink:Clusters:1:SavepointDirectory"] = "s3://flink-demo/savepoints/" + DemoCmfEnvironment;
            settings["Flink:Clusters:1:ValidationWindow"] = "00:00:05";
            settings["Flink:Clusters:1:PollInterval"] = "00:00:00.250";
        }
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Configuration.AddEnvironmentVariables("FLINKOPSBOT_");
        if (!builder.Configuration.GetSection("Authorization:Rules").Exists()) builder.Configuration.AddInMemoryCollection(PermissivePolicy);
        builder.WebHost.UseUrls(options.Urls);
        builder.UseSerilog(quiet: !options.Headless);
        builder.Services.AddFlinkOpsBot(builder.Configuration);
        var console = new ShellConsole(Console.Out);
        builder.Services.AddSingleton(console);
        builder.Services.AddSingleton<IChatChannel, ShellChannel>();
        builder.Services.AddSingleton<Shell>();

        await using var app = builder.Build();
        app.MapFlinkOpsBot();
        if (sim is not null) await SeedDeploymentRecordsAsync(app.Services, sim.Cluster);
        await app.StartAsync();
        console.WriteLines([sim is not null
                ? $"FlinkSim demo cluster '{DemoCluster}' at {sim.BaseAddress} with jobs: {string.Join(", ", sim.Cluster.Jobs.Select(j => j.Name))}."
                : $"External cluster '{DemoCluster}' at {clusterUrl}.",
            .. sim is null ? Array.Empty<string>() : [
                $"CMF cluster '{DemoCmfCluster}' (environment {DemoCmfEnvironment}) at {sim.BaseAddress}cmf/api/v1 with applications orders-enricher, payments-fraud-detector, " +
                "compute pool demo-pool and catalog kafka-cat (database kafka-1); use --cluster demo-cmf."],
            $"HTTP host at {string.Join(", ", app.Urls)}."]);

        int exitCode;
        var stopping = app.Lifetime.ApplicationStopping;
        if (options.Headless)
        {
            await app.WaitForShutdownAsync();
            return 0;
        }
        var shell = app.Services.GetRequiredService<Shell>();
        exitCode = script is not null
            ? await shell.RunScriptAsync(script, options.Timeout, stopping)
            : await shell.RunInteractiveAsync(Console.In, stopping);
        await app.StopAsync();
        return exitCode;
    }

    /// <summary>
    /// The first of <paramref name="urls"/> (Kestrel's <c>;</c>-separated list) whose loopback or IP address and fixed port
    /// cannot be bound now, or null. Checked before anything starts, so a second local instance gets one line instead of
    /// Kestrel's exception. Names Kestrel resolves itself (other host names, port 0) are left to Kestrel.
    /// </summary>
    internal static string? AddressInUse(string urls)
    {
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Port <= 0) continue;
            var address = uri.IsLoopback && !System.Net.IPAddress.TryParse(uri.Host, out _) ? System.Net.IPAddress.Loopback
                : System.Net.IPAddress.TryParse(uri.Host.Trim('[', ']'), out var parsed) ? parsed : null;
            if (address is null) continue;
            var listener = new System.Net.Sockets.TcpListener(address, uri.Port);
            try
            {
                listener.Start();
            }
            catch (System.Net.Sockets.SocketException e) when (e.SocketErrorCode == System.Net.Sockets.SocketError.AddressAlreadyInUse)
            {
                return url;
            }
            finally
            {
                listener.Stop();
            }
        }
        return null;
    }

    // The demo jobs were "deployed by the bot" before it started, so the first upgrade knows its rollback artifact.
    private static async Task SeedDeploymentRecordsAsync(IServiceProvider services, SimCluster cluster)
    {
        var ledger = services.GetRequiredService<IDeploymentLedger>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        foreach (var job in cluster.Jobs)
        {
            await ledger.RecordAsync(new DeploymentRecord(DemoCluster, job.Name, job.JarId, JarNames.Display(job.JarId), job.JobId, job.Parallelism, null, now),
                CancellationToken.None);
        }
    }

    private sealed record Options(string? Script, TimeSpan Timeout, bool Headless, string Urls, Uri? ClusterUrl = null);

    private static bool TryParse(string[] args, out Options options, out string problem)
    {
        options = new Options(null, TimeSpan.FromSeconds(120), false, "http://127.0.0.1:5080");
        problem = "";
        for (var i = 0; i < args.Length; i++)
        {
            string? Next() => i + 1 < args.Length ? args[++i] : null;
            switch (args[i])
            {
                case "--script":
                    if (Next() is not { } file) return Fail("--script needs a file", out problem);
                    options = options with { Script = file };
                    break;
                case "--timeout":
                    if (!int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds < 1)
                    {
                        return Fail("--timeout needs a positive number of seconds", out problem);
                    }
                    options = options with { Timeout = TimeSpan.FromSeconds(seconds) };
                    break;
                case "--headless":
                    options = options with { Headless = true };
                    break;
                case "--urls":
                    if (Next() is not { } urls) return Fail("--urls needs a URL such as http://127.0.0.1:5080", out problem);
                    options = options with { Urls = urls };
                    break;
                case "--cluster-url":
                    if (!Uri.TryCreate(Next(), UriKind.Absolute, out var cluster) || (cluster.Scheme != Uri.UriSchemeHttp && cluster.Scheme != Uri.UriSchemeHttps))
                    {
                        return Fail("--cluster-url needs an absolute http(s) URL of a Flink REST endpoint, such as http://127.0.0.1:8081", out problem);
                    }
                    options = options with { ClusterUrl = cluster };
                    break;
                default:
                    return Fail($"Unknown option {args[i]}.", out problem);
            }
        }
        if (options.Headless && options.Script is not null) return Fail("--headless and --script do not go together.", out problem);
        return true;
    }

    private static bool Fail(string message, out string problem)
    {
        problem = message;
        return false;
    }

    /// <summary>
    /// The demo cluster, plus one incident to diagnose: payments-fraud-detector is in a restart loop on a poison record
    /// (<c>/flink restart-loop payments-fraud-detector</c>; its hotfix is <c>payments-fraud-detector-1.8.1.jar</c>). The
    /// loop follows the JobID, so a redeployed job runs clean. clickstream-sessionizer is the demo's hot job. Then the
    /// CMF demo (environment <see cref="DemoCmfEnvironment"/>), served as cluster <see cref="DemoCmfCluster"/>, with three
    /// older daily savepoints of orders-enricher to clean up (<c>/flink savepoint-cleanup orders-enricher --cluster demo-cmf</c>).
    /// </summary>
    internal static void SeedLocalDemo(SimCluster cluster)
    {
        SimCluster.SeedDemo(cluster);
        if (cluster.FindJob("payments-fraud-detector") is { } payments) cluster.Faults.RestartLoop(payments.JobId, true, RestartLoopCause.PoisonRecord);
        SimCluster.SeedCmfDemo(cluster);
        SimCluster.SeedCmfSavepointHistory(cluster);
    }
}
