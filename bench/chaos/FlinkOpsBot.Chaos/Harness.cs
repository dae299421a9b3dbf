using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using FlinkOpsBot.AzureTables;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FlinkOpsBot.Chaos;

/// <summary>A set-up problem the person running the harness can fix (the message says how).</summary>
internal sealed class SetupException(string message) : Exception(message);

/// <summary>
/// The chaos run: Azurite and FlinkSim as processes of their own, the host in local mode against them, upgrades and
/// approvals fed through the host's stdin, SIGKILLs at seeded random moments, restarts, and the report.
/// </summary>
internal sealed partial class Harness : IAsyncDisposable
{
    private const string AccountName = "devstoreaccount1";
    // Azurite's documented development account key: public, not a secret.
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private const string TablePrefix = "chaos";
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan PendingCommandTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan ReapproveAfter = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RecoveryLimit = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan ChaosLimit = TimeSpan.FromMinutes(8);

    private readonly ChaosOptions _options;
    private readonly string _work;
    private readonly string _hostDll;
    private readonly TimeProvider _time = TimeProvider.System;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Random _random;
    private readonly Random _dropRandom; // its own sequence, so the kill schedule stays the seed's
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly Lock _gate = new();

    private ChildProcess? _azurite;
    private ChildProcess? _flinkSim;
    private ServiceProvider? _storage;
    private IRunStore _runs = null!;
    private Uri _simUrl = null!;
    private string _connectionString = "";
    private readonly Features _features = new();
    private readonly List<JobSlot> _jobs = [];

    // Host incarnations.
    private ChildProcess? _host;
    private int _incarnation;
    private TimeSpan _hostStartedAt;
    private TimeSpan? _hostReadyAt;

    // What the harness saw.
    private readonly Dictionary<string, Run> _known = new(StringComparer.Ordinal);
    private readonly HashSet<string> _acknowledged = new(StringComparer.Ordinal);
    private readonly HashSet<string> _ended = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Incarnation, TimeSpan At)> _approvalsSent = new(StringComparer.Ordinal);
    private readonly List<string> _refusals = [];
    private readonly List<Restart> _restarts = [];
    private int _commandsSent;
    private int _storageErrors;
    private int _unexpectedExits;
    private TimeSpan _chaosStart;
    private TimeSpan _nextDrop = TimeSpan.FromSeconds(4);
    private int _dropsArmed;
    private readonly HashSet<string> _initialJobIds = new(StringComparer.OrdinalIgnoreCase);

    private Harness(ChaosOptions options, string work, string hostDll)
    {
        _options = options;
        _work = work;
        _hostDll = hostDll;
        _random = new Random(options.Seed);
        _dropRandom = new Random(unchecked(options.Seed + 1));
    }

    /// <summary>Finds the builds, starts Azurite and FlinkSim, probes FlinkSim's optional features and arms faults.</summary>
    public static async Task<Harness> SetUpAsync(ChaosOptions options, CancellationToken cancellationToken)
    {
        var root = options.Root ?? FindRoot() ?? throw new SetupException(
            "Cannot find the repository root (FlinkOpsBot.sln) above the current directory; run from the repository or pass --root DIR.");
        string Build(string project) => Path.Combine(root, "src", project, "bin", options.Configuration, "net10.0", project + ".dll");
        var hostDll = Build("FlinkOpsBot.Host");
        var simDll = Build("FlinkOpsBot.FlinkSim");
        foreach (var dll in new[] { hostDll, simDll })
        {
            if (!File.Exists(dll))
            {
                throw new SetupException($"{dll} does not exist: build it first (bench/chaos/run.sh does, or `dotnet build -c {options.Configuration} src/FlinkOpsBot.Host`).");
            }
        }
        var azuriteBin = FindAzurite(root);

        var work = Path.Combine(Path.GetTempPath(), $"flinkopsbot-chaos-{options.Seed}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(Path.Combine(work, "azurite"));
        var harness = new Harness(options, work, hostDll);
        try
        {
            await harness.StartAzuriteAsync(azuriteBin, cancellationToken);
            await harness.StartFlinkSimAsync(simDll, cancellationToken);
            await harness.ProbeAndArmAsync(cancellationToken);
        }
        catch
        {
            await harness.DisposeAsync();
            throw;
        }
        return harness;
    }

    /// <summary>The chaos itself, then the report; the exit code.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        Say($"Work directory {_work} (logs of every process). Seed {_options.Seed}, {_options.Kills} kills, at least {_options.Runs} upgrades over {_jobs.Count} jobs.");
        var chaosStart = _clock.Elapsed;
        _chaosStart = chaosStart;
        StartHost();
        var nextKill = NextKillAfter(TimeSpan.Zero);
        Restart? recovering = null;
        var settling = false;
        var settleStart = TimeSpan.Zero;
        var timedOut = false;

        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Delay(Tick, _time, cancellationToken);
            var now = _clock.Elapsed;
            if (_host is { HasExited: true })
            {
                if (++_unexpectedExits > 3) throw new SetupException($"The host keeps exiting on its own; see {HostLog(_incarnation)}.");
                Say($"host#{_incarnation} exited on its own (see {HostLog(_incarnation)}); restarting it.");
                _host.Dispose();
                StartHost();
                continue;
            }
            if (_hostReadyAt is null)
            {
                if (now - _hostStartedAt > TimeSpan.FromSeconds(60)) throw new SetupException($"host#{_incarnation} did not start within 60 s; see {HostLog(_incarnation)}.");
                continue;
            }

            await PollAsync(cancellationToken);
            ApproveWaiting(now);
            if (!settling) await DropOperationResultsAsync(now, cancellationToken);

            if (recovering is not null && CheckRecovered(recovering, now))
            {
                Say($"restart {recovering.Number}: ready after {Seconds(recovering.ReadyAfter)} s, recovered after {Seconds(recovering.RecoveredAfter)} s ({recovering.InFlight.Count} run(s) in flight).");
                recovering = null;
                nextKill = NextKillAfter(now - _hostReadyAt.Value);
            }

            var killsDone = _restarts.Count >= _options.Kills;
            if (!settling)
            {
                StartUpgrades(now);
                if (!killsDone && recovering is null && now - _hostReadyAt.Value >= nextKill)
                {
                    recovering = await KillAndRestartAsync(cancellationToken);
                    continue;
                }
                if ((killsDone && recovering is null && StartedRuns >= _options.Runs) || now - chaosStart > ChaosLimit)
                {
                    if (now - chaosStart > ChaosLimit) Say($"The chaos phase hit its limit of {ChaosLimit.TotalMinutes:0} min; settling.");
                    settling = true;
                    settleStart = now;
                    Say($"{_restarts.Count} kill(s) done and {StartedRuns} run(s) started; waiting up to {_options.Settle.TotalSeconds:0} s for every run to end.");
                }
            }
            else
            {
                if (recovering is not null && now - _hostStartedAt > RecoveryLimit) recovering = null;
                bool allEnded;
                lock (_gate) allEnded = _known.Values.All(r => r.State.IsSettled()) && _acknowledged.All(_known.ContainsKey);
                if (allEnded && !_jobs.Any(j => j.PendingSince is not null)) break;
                if (now - settleStart > _options.Settle)
                {
                    timedOut = true;
                    break;
                }
            }
        }

        var report = await BuildReportAsync(chaosStart, timedOut, cancellationToken);
        Console.WriteLine();
        Console.WriteLine(report.Markdown);
        if (_options.Report is { } file) await File.WriteAllTextAsync(file, report.Markdown, cancellationToken);
        if (_host is not null) await _host.StopAsync(TimeSpan.FromSeconds(10));
        return report.Lost > 0 || report.Duplicates > 0 ? 1 : 0;
    }

    private int StartedRuns
    {
        get
        {
            lock (_gate) return _known.Keys.Union(_acknowledged).Count();
        }
    }

    private TimeSpan NextKillAfter(TimeSpan uptime)
    {
        var span = _options.MaxUptime - _options.MinUptime;
        return uptime + _options.MinUptime + span * _random.NextDouble();
    }

    // --- the host -------------------------------------------------------------------------------------------------

    private void StartHost()
    {
        var number = ++_incarnation;
        var port = ChildProcess.FreeLoopbackPort();
        var environment = new Dictionary<string, string>
        {
            ["Storage__ConnectionString"] = _connectionString,
            ["Storage__TablePrefix"] = TablePrefix,
            ["Engine__LeaseDuration"] = _options.Lease.ToString("c", CultureInfo.InvariantCulture),
            // The host refuses a lease renewal (half the lease) shorter than a jar run may take; FlinkSim answers at once.
            ["Flink__Client__JarRunTimeout"] = TimeSpan.FromSeconds(Math.Max(1, Math.Floor(_options.Lease.TotalSeconds / 2))).ToString("c", CultureInfo.InvariantCulture),
            ["DOTNET_NOLOGO"] = "1",
        };
        _hostReadyAt = null;
        _hostStartedAt = _clock.Elapsed;
        _host = ChildProcess.Start($"host#{number}", "dotnet",
            [_hostDll, "local", "--cluster-url", _simUrl.ToString(), "--urls", $"http://127.0.0.1:{port}"],
            HostLog(number), environment, line => OnHostLine(number, line), stdin: true);
    }

    private string HostLog(int number) => Path.Combine(_work, $"host-{number}.log");

    [GeneratedRegex(@"(R-[0-9A-Z]{4}) started: (\S+) (\S+) on (\S+)")]
    private static partial Regex StartedLine();

    [GeneratedRegex(@"^(?:flink> )*\s+! (.*)$")]
    private static partial Regex RefusedLine();

    [GeneratedRegex(@"(\S+) is locked by (R-[0-9A-Z]{4})")]
    private static partial Regex LockedLine();

    private void OnHostLine(int number, string line)
    {
        lock (_gate)
        {
            if (number != _incarnation) return;
            if (_hostReadyAt is null && line.Contains("HTTP host at", StringComparison.Ordinal))
            {
                _hostReadyAt = _clock.Elapsed;
                return;
            }
            if (StartedLine().Match(line) is { Success: true } started)
            {
                var id = started.Groups[1].Value;
                _acknowledged.Add(id);
                if (_jobs.FirstOrDefault(j => j.Name == started.Groups[3].Value) is { } job) job.PendingSince = null;
                return;
            }
            if (RefusedLine().Match(line) is { Success: true } refused)
            {
                var text = refused.Groups[1].Value.Trim();
                if (_refusals.Count < 200) _refusals.Add($"host#{number}: {text}");
                if (LockedLine().Match(text) is { Success: true } locked && _jobs.FirstOrDefault(j => j.Name == locked.Groups[1].Value.Trim('`', '*')) is { } job)
                {
                    job.PendingSince = null;
                    job.LockedBy = locked.Groups[2].Value;
                }
            }
        }
    }

    private async Task<Restart> KillAndRestartAsync(CancellationToken cancellationToken)
    {
        var victim = _host!;
        var killedAt = _time.GetUtcNow();
        var at = _clock.Elapsed - _chaosStart;
        victim.Kill();
        await victim.WaitForExitAsync(cancellationToken);
        var restart = new Restart { Number = _restarts.Count + 1, KilledAt = at, KilledAtUtc = killedAt };
        _restarts.Add(restart);

        await PollAsync(cancellationToken);
        lock (_gate)
        {
            foreach (var run in _known.Values.Where(r => !r.State.IsTerminal()))
            {
                restart.InFlight[run.Id.Value] = run.State;
            }
            foreach (var job in _jobs) job.PendingSince = null;
        }
        Say($"kill {restart.Number}: SIGKILL host#{_incarnation} (pid {victim.Id}) at {Seconds(at)} s with {restart.InFlight.Count} run(s) in flight: " +
            string.Join(", ", restart.InFlight.GroupBy(kv => kv.Value).Select(g => $"{g.Count()} {g.Key}")));
        victim.Dispose();
        StartHost();
        restart.RestartedAt = _hostStartedAt;
        return restart;
    }

    private bool CheckRecovered(Restart restart, TimeSpan now)
    {
        restart.ReadyAfter ??= _hostReadyAt - restart.RestartedAt;
        lock (_gate)
        {
            var pending = restart.InFlight.Keys.Where(id =>
                !_known.TryGetValue(id, out var run) || (!run.State.IsTerminal() && run.UpdatedAt <= restart.KilledAtUtc)).ToList();
            if (pending.Count == 0)
            {
                restart.RecoveredAfter = now - restart.RestartedAt;
                return true;
            }
            if (now - restart.RestartedAt > RecoveryLimit)
            {
                restart.NotRecovered = pending;
                Say($"restart {restart.Number}: {pending.Count} run(s) did not progress within {RecoveryLimit.TotalSeconds:0} s: {string.Join(", ", pending)}.");
                return true;
            }
            return false;
        }
    }

    // --- the conversation -----------------------------------------------------------------------------------------

    private void StartUpgrades(TimeSpan now)
    {
        lock (_gate)
        {
            var busy = _known.Values.Where(r => !r.State.IsTerminal()).Select(r => r.JobName).ToHashSet(StringComparer.Ordinal);
            foreach (var job in _jobs)
            {
                if (job.Retired || busy.Contains(job.Name)) continue;
                if (job.PendingSince is { } since && now - since < PendingCommandTimeout) continue;
                if (job.LockedBy is { } holder && _known.TryGetValue(holder, out var h) && !h.State.IsTerminal()) continue;
                if (_restarts.Count >= _options.Kills && StartedRuns >= _options.Runs) return;
                var others = job.Jars.Where(j => j != job.Current).ToList();
                var target = others.Count == 0 ? job.Current : others[_random.Next(others.Count)];
                var line = $"/flink upgrade {job.Name} --jar {target} --rollback-jar {job.Current}";
                if (_host!.WriteLine(line))
                {
                    job.PendingSince = now;
                    job.LockedBy = null;
                    _commandsSent++;
                }
            }
        }
    }

    private void ApproveWaiting(TimeSpan now)
    {
        lock (_gate)
        {
            foreach (var run in _known.Values.Where(r => r.State == RunState.AwaitingApproval))
            {
                var id = run.Id.Value;
                if (_approvalsSent.TryGetValue(id, out var sent) && sent.Incarnation == _incarnation && now - sent.At < ReapproveAfter) continue;
                if (_host!.WriteLine($"/flink approve {id}")) _approvalsSent[id] = (_incarnation, now);
            }
        }
    }

    // --- storage --------------------------------------------------------------------------------------------------

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        try
        {
            var active = await _runs.ListActiveAsync(cancellationToken);
            List<string> stale;
            lock (_gate)
            {
                foreach (var run in active) _known[run.Id.Value] = run;
                var activeIds = active.Select(r => r.Id.Value).ToHashSet(StringComparer.Ordinal);
                stale = _known.Values.Where(r => !r.State.IsTerminal() && !activeIds.Contains(r.Id.Value)).Select(r => r.Id.Value)
                    .Concat(_acknowledged.Where(id => !_known.ContainsKey(id))).Distinct().ToList();
            }
            foreach (var id in stale)
            {
                if (!RunId.TryParse(id, out var runId)) continue;
                if (await _runs.GetAsync(runId, cancellationToken) is { } stored)
                {
                    lock (_gate) _known[id] = stored.Value;
                }
            }
            lock (_gate)
            {
                foreach (var run in _known.Values.Where(r => r.State.IsSettled() && !_ended.Contains(r.Id.Value)).ToList()) OnEnded(run);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _storageErrors++;
        }
    }

    // What the job runs after a run ended: the jar the run left running. Called under _gate.
    private void OnEnded(Run run)
    {
        _ended.Add(run.Id.Value);
        if (_jobs.FirstOrDefault(j => j.Name == run.JobName) is not { } job) return;
        switch (run.State)
        {
            case RunState.Succeeded when run.Inputs.GetValueOrDefault("jar") is { } jar:
                job.Current = jar;
                break;
            case RunState.RolledBack when run.Inputs.GetValueOrDefault("rollback-jar") is { } rollback:
                job.Current = rollback;
                break;
            case RunState.RollbackFailed:
            case RunState.AwaitingDecision:
            case RunState.Abandoned:
                job.Retired = true; // the card says what a person must check: the job's state is for a person to decide
                break;
        }
    }

    // --- set-up ---------------------------------------------------------------------------------------------------

    private async Task StartAzuriteAsync(string binary, CancellationToken cancellationToken)
    {
        var port = ChildProcess.FreeLoopbackPort();
        _azurite = ChildProcess.Start("azurite", binary,
            ["--tableHost", "127.0.0.1", "--tablePort", port.ToString(CultureInfo.InvariantCulture), "--location", Path.Combine(_work, "azurite"),
             "--skipApiVersionCheck", "--loose", "--silent", "--disableTelemetry"],
            Path.Combine(_work, "azurite.log"), killTree: true, workingDirectory: _work);
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (_azurite.HasExited) throw new SetupException($"Azurite exited at start; see {Path.Combine(_work, "azurite.log")}.");
            if (waited.Elapsed > TimeSpan.FromSeconds(30)) throw new SetupException($"Azurite did not listen on port {port} within 30 s.");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
                break;
            }
            catch (SocketException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), _time, cancellationToken);
            }
        }
        _connectionString = $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};TableEndpoint=http://127.0.0.1:{port}/{AccountName};";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = _connectionString,
            ["Storage:TablePrefix"] = TablePrefix,
        }).Build();
        _storage = new ServiceCollection().AddAzureTableStores(configuration.GetSection("Storage")).BuildServiceProvider();
        _runs = _storage.GetRequiredService<IRunStore>();
        Say($"Azurite (table service) on 127.0.0.1:{port}.");
    }

    private async Task StartFlinkSimAsync(string simDll, CancellationToken cancellationToken)
    {
        // First with the chaos flags; a FlinkSim that does not know them may refuse to start, then it runs plain.
        foreach (var withFlags in new[] { true, false })
        {
            var port = ChildProcess.FreeLoopbackPort();
            _simUrl = new Uri($"http://127.0.0.1:{port}/");
            string[] arguments = withFlags
                ? [simDll, "--urls", _simUrl.ToString().TrimEnd('/'), "--admin", "--extra-jobs", _options.Jobs.ToString(CultureInfo.InvariantCulture)]
                : [simDll, "--urls", _simUrl.ToString().TrimEnd('/')];
            _flinkSim = ChildProcess.Start("flinksim", "dotnet", arguments, Path.Combine(_work, "flinksim.log"));
            var waited = Stopwatch.StartNew();
            while (!_flinkSim.HasExited && waited.Elapsed < TimeSpan.FromSeconds(30))
            {
                if (await TryGetAsync("overview", cancellationToken) is not null)
                {
                    Say($"FlinkSim on {_simUrl} ({(withFlags ? $"asked for --admin --extra-jobs {_options.Jobs}" : "started without the chaos flags")}).");
                    return;
                }
                await Task.Delay(TimeSpan.FromMilliseconds(200), _time, cancellationToken);
            }
            _flinkSim.Dispose();
            _flinkSim = null;
        }
        throw new SetupException($"FlinkSim did not start; see {Path.Combine(_work, "flinksim.log")}.");
    }

    private async Task ProbeAndArmAsync(CancellationToken cancellationToken)
    {
        _features.AdminApi = await TryGetAsync("_sim/mutations", cancellationToken) is not null;
        using var overview = await TryGetAsync("jobs/overview", cancellationToken)
            ?? throw new SetupException("FlinkSim does not answer GET /jobs/overview.");
        _initialJobIds.UnionWith(overview.RootElement.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("jid").GetString()!));
        var names = overview.RootElement.GetProperty("jobs").EnumerateArray()
            .Where(j => j.GetProperty("state").GetString() == "RUNNING")
            .Select(j => j.GetProperty("name").GetString()!).Distinct().OrderBy(n => n, StringComparer.Ordinal).ToList();
        using var jars = await TryGetAsync("jars", cancellationToken) ?? throw new SetupException("FlinkSim does not answer GET /jars.");
        var jarNames = jars.RootElement.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("name").GetString()!).ToList();

        var chaosJobs = names.Where(n => n.StartsWith("chaos-job-", StringComparison.Ordinal)).ToList();
        _features.ExtraJobs = chaosJobs.Count > 0;
        if (_features.ExtraJobs)
        {
            var chaosJars = jarNames.Where(j => j.StartsWith("chaos-job-", StringComparison.Ordinal)).ToList();
            foreach (var name in chaosJobs) _jobs.Add(new JobSlot(name, chaosJars, "chaos-job-1.0.0.jar"));
            // The demo's orders-enricher too: its 2.5.0-faulty jar fails after the restore, so some upgrades roll back.
            if (names.Contains("orders-enricher"))
            {
                _jobs.Add(new JobSlot("orders-enricher", jarNames.Where(j => j.StartsWith("orders-enricher-", StringComparison.Ordinal)).ToList(), "orders-enricher-2.3.1.jar"));
            }
        }
        else
        {
            var demo = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["orders-enricher"] = "orders-enricher-2.3.1.jar",
                ["payments-fraud-detector"] = "payments-fraud-detector-1.8.0.jar",
                ["clickstream-sessionizer"] = "clickstream-sessionizer-3.1.2.jar",
            };
            foreach (var name in names.Where(demo.ContainsKey))
            {
                _jobs.Add(new JobSlot(name, jarNames.Where(j => j.StartsWith(name + "-", StringComparison.Ordinal)).ToList(), demo[name]));
            }
        }
        if (_jobs.Count == 0) throw new SetupException($"FlinkSim runs no job the harness knows how to upgrade (running: {string.Join(", ", names)}).");

        if (_features.AdminApi)
        {
            var armed = new List<string>();
            if (_options.FaultRate > 0 && await PostFaultAsync(new { kind = "random-errors", rate = _options.FaultRate, status = 503 }, cancellationToken))
            {
                armed.Add($"random 503 on {_options.FaultRate:P0} of calls");
            }
            if (_options.LatencyMs > 0 && await PostFaultAsync(new { kind = "latency", millis = _options.LatencyMs }, cancellationToken))
            {
                armed.Add($"{_options.LatencyMs} ms latency");
            }
            // One stop-with-savepoint refused by Flink on a few jobs: those runs must fail cleanly, the job untouched.
            var refused = _jobs.Select(j => j.Name).Where(n => n.StartsWith("chaos-job-", StringComparison.Ordinal)).Where((_, i) => i % 5 == 1).ToList();
            var failing = 0;
            foreach (var name in refused)
            {
                if (await PostFaultAsync(new { kind = "savepoint-failure", job = name, operation = "stop" }, cancellationToken)) failing++;
            }
            if (failing > 0) armed.Add($"the first stop-with-savepoint of {failing} jobs fails");
            armed.Add("operation results dropped on a random job being stopped every 4–10 s");
            _features.FaultsArmed = armed.Count > 0 ? string.Join(", ", armed) : null;
        }
        Say($"FlinkSim features: admin API {(_features.AdminApi ? "yes" : "MISSING")}, --extra-jobs {(_features.ExtraJobs ? "yes" : "MISSING (using the demo jobs)")}, faults {_features.FaultsArmed ?? "none armed"}.");
    }

    // Every few seconds, FlinkSim forgets the async-operation results of a job whose run is stopping it, as a
    // JobManager failover would: the engine must reconcile from the job's state and savepoint evidence, or park the run.
    private async Task DropOperationResultsAsync(TimeSpan now, CancellationToken cancellationToken)
    {
        if (!_features.AdminApi || now - _chaosStart < _nextDrop) return;
        _nextDrop = now - _chaosStart + TimeSpan.FromSeconds(4 + _dropRandom.Next(7));
        string? job;
        lock (_gate)
        {
            var executing = _known.Values.Where(r => r.State == RunState.Executing).Select(r => r.JobName).Order(StringComparer.Ordinal).ToList();
            job = executing.Count == 0 ? null : executing[_dropRandom.Next(executing.Count)];
        }
        if (job is not null && await PostFaultAsync(new { kind = "drop-operation-results", job }, cancellationToken)) _dropsArmed++;
    }

    private async Task<bool> PostFaultAsync(object fault, CancellationToken cancellationToken)
    {
        try
        {
            using var content = new StringContent(JsonSerializer.Serialize(fault), Encoding.UTF8, "application/json");
            using var response = await _http.PostAsync(new Uri(_simUrl, "_sim/faults"), content, cancellationToken);
            if (!response.IsSuccessStatusCode) Say($"FlinkSim refused the fault {JsonSerializer.Serialize(fault)}: {(int)response.StatusCode}.");
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException e)
        {
            Say($"Could not arm the fault {JsonSerializer.Serialize(fault)}: {e.Message}");
            return false;
        }
    }

    private async Task<JsonDocument?> TryGetAsync(string path, CancellationToken cancellationToken, int attempts = 1)
    {
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            try
            {
                using var response = await _http.GetAsync(new Uri(_simUrl, path), cancellationToken);
                if (response.IsSuccessStatusCode) return JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
                if (response.StatusCode == HttpStatusCode.NotFound) return null;
            }
            catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // not up yet, or an injected fault: try again
            }
            if (attempt < attempts) await Task.Delay(TimeSpan.FromMilliseconds(200), _time, cancellationToken);
        }
        return null;
    }

    private static string? FindRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "FlinkOpsBot.sln"))) return dir.FullName;
            }
        }
        return null;
    }

    private static string FindAzurite(string root)
    {
        var pinned = Path.Combine(root, "tools", "azurite", "node_modules", ".bin", "azurite-table");
        if (File.Exists(pinned)) return pinned;
        if (Environment.GetEnvironmentVariable("AZURITE_TABLE_BIN") is { Length: > 0 } configured)
        {
            return File.Exists(configured) ? configured : throw new SetupException($"AZURITE_TABLE_BIN is {configured}, which does not exist.");
        }
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, "azurite-table")).FirstOrDefault(File.Exists);
        return onPath ?? throw new SetupException(
            $"Azurite is not installed: no {pinned}, no AZURITE_TABLE_BIN, no azurite-table on PATH. Run `npm ci --prefix tools/azurite` from the repository root.");
    }

    private void Say(string message) => Console.WriteLine($"[{Seconds(_clock.Elapsed),6} s] {message}");

    internal static string Seconds(TimeSpan? span) => span is { } s ? s.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) : "—";

    public async ValueTask DisposeAsync()
    {
        _host?.Dispose();
        _flinkSim?.Dispose();
        _azurite?.Dispose();
        if (_storage is not null) await _storage.DisposeAsync();
        _http.Dispose();
        if (!_options.Keep)
        {
            try
            {
                Directory.Delete(_work, recursive: true);
            }
            catch (IOException)
            {
                // a process still holds a file; the temp directory is cleaned by the OS
            }
        }
        else
        {
            Console.WriteLine($"Kept {_work}.");
        }
    }

    private sealed class Features
    {
        public bool AdminApi { get; set; }
        public bool ExtraJobs { get; set; }
        public string? FaultsArmed { get; set; }
    }

    private sealed class JobSlot(string name, List<string> jars, string current)
    {
        public string Name { get; } = name;
        public List<string> Jars { get; } = jars;
        public string Current { get; set; } = current;
        public bool Retired { get; set; }
        public TimeSpan? PendingSince { get; set; }
        public string? LockedBy { get; set; }
    }

    internal sealed class Restart
    {
        public int Number { get; init; }
        public TimeSpan KilledAt { get; init; }
        public DateTimeOffset KilledAtUtc { get; init; }
        public TimeSpan RestartedAt { get; set; }
        public Dictionary<string, RunState> InFlight { get; } = new(StringComparer.Ordinal);
        public TimeSpan? ReadyAfter { get; set; }
        public TimeSpan? RecoveredAfter { get; set; }
        public List<string>? NotRecovered { get; set; }
    }
}

internal static class RunStateSettling
{
    /// <summary>Ended, or parked for a person (<c>AwaitingDecision</c>): the harness has nothing more to wait for.</summary>
    public static bool IsSettled(this RunState state) => state.IsTerminal() || state == RunState.AwaitingDecision;
}
