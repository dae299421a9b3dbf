using System.Diagnostics;
using FlinkOpsBot.Core.Approvals;
using FlinkOpsBot.Core.Chat;
using FlinkOpsBot.Core.Commands;
using FlinkOpsBot.Core.Engine;
using FlinkOpsBot.Core.Identity;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Steps;
using FlinkOpsBot.Core.Storage;
using FlinkOpsBot.FlinkSim;
using FlinkOpsBot.Host.Composition;
using FlinkOpsBot.Host.Tests.EndToEnd;
using FlinkOpsBot.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FlinkOpsBot.Host.Tests.Composition;

/// <summary>
/// Two replicas of the bot's engine in one test process, composed by <see cref="BotServices.AddFlinkOpsBot"/> over the
/// same Azure Table Storage (Azurite) and one FlinkSim cluster, with 2-second run leases on the system clock. A third
/// composition plays the chat front door (commands and approvals). Every successful run write is logged in commit
/// order, so the test can check that no replica wrote a run while the other held its lease.
/// </summary>
public sealed class ReplicaLeaseTests : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private static readonly Actor Ana = new("slack", "T1", "U1", "ana");
    private static readonly Actor Bo = new("slack", "T1", "U2", "bo");
    private static readonly ChannelRef Channel = new("slack", "T1", "C1");
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(2);

    private readonly AzuriteFixture _azurite;
    private readonly string _tablePrefix = "lease" + Guid.NewGuid().ToString("N")[..10];
    private readonly RunWriteLog _writes = new();
    private readonly List<IHost> _hosts = [];
    private FlinkSimServer _sim = null!;

    public ReplicaLeaseTests(AzuriteFixture azurite) => _azurite = azurite;

    public async Task InitializeAsync()
    {
        _sim = await FlinkSimServer.StartAsync(FlinkSimOptions.Demo());
        SimCluster.SeedDemo(_sim.Cluster);
    }

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.StopAsync();
            host.Dispose();
        }
        await _sim.DisposeAsync();
    }

    [Fact]
    public async Task TwoReplicas_SeveralUpgrades_EachRunAdvancedByOneReplicaAtATimeAndEveryFlinkChangeMadeOnce()
    {
        var frontDoor = await StartReplicaAsync("front-door");
        var a = await StartReplicaAsync("host-a");
        var b = await StartReplicaAsync("host-b");
        await SeedLedgerAsync(frontDoor);
        var originals = _sim.Cluster.Jobs.ToDictionary(j => j.Name, j => j.JobId);
        using var stop = new CancellationTokenSource();
        var loops = new[] { Task.Run(() => NewLoop(a).RunAsync(stop.Token)), Task.Run(() => NewLoop(b).RunAsync(stop.Token)) };

        var runs = new List<RunId>();
        foreach (var command in new[]
        {
            "/flink upgrade orders-enricher --jar orders-enricher-2.4.0.jar",
            "/flink upgrade payments-fraud-detector --jar payments-fraud-detector-1.8.0.jar --parallelism 6",
            "/flink upgrade clickstream-sessionizer --jar clickstream-sessionizer-3.1.2.jar --parallelism 4",
        })
        {
            runs.Add(await StartAsync(frontDoor, command));
        }
        foreach (var id in runs) await ApproveAtTheGateAsync(frontDoor, id);
        foreach (var id in runs) await EndOfAsync(frontDoor, id);
        await stop.CancelAsync();
        await Task.WhenAll(loops); // the ticks in flight finish, with the release of an ended run's lease
        var ended = new List<Run>();
        foreach (var id in runs) ended.Add(await GetAsync(frontDoor, id));

        Assert.All(ended, run => Assert.True(run.State == RunState.Succeeded, $"{run.Id} {run.JobName}: {run.State}: {run.Summary}"));
        Assert.All(ended, run => Assert.Null(run.Lease));
        var calls = _sim.Cluster.Calls.All;
        foreach (var run in ended)
        {
            Assert.Equal(1, calls.Count(c => c.Method == "POST" && c.Path == $"/jobs/{originals[run.JobName]}/stop"));
            Assert.Equal(1, calls.Count(c => c.Method == "POST" && c.Path.StartsWith("/jars/", StringComparison.Ordinal) && c.JobId == run.Vars[RunVars.NewJobId]));
        }
        Assert.Equal(runs.Count, calls.Count(c => c.Method == "POST" && c.Path.StartsWith("/jars/", StringComparison.Ordinal) && c.Path.EndsWith("/run", StringComparison.Ordinal)));
        Assert.Empty(_writes.LeaseViolations(["host-a", "host-b"]));
        Assert.All(runs, id => Assert.Contains(_writes.All, w => w.RunId == id && w.Writer is "host-a" or "host-b" && w.Run.State == RunState.Succeeded));
    }

    [Fact]
    public async Task TwoReplicas_OneKilledMidRun_TheOtherTakesOverOnlyAfterTheLeaseExpiredAndFinishes()
    {
        var frontDoor = await StartReplicaAsync("front-door");
        var a = await StartReplicaAsync("host-a");
        var b = await StartReplicaAsync("host-b");
        await SeedLedgerAsync(frontDoor);
        var original = _sim.Cluster.FindJob("orders-enricher")!.JobId;

        // Only host A runs while the upgrade starts, so it holds the run's lease when it dies.
        using var killA = new CancellationTokenSource();
        var loopA = Task.Run(() => NewLoop(a).RunAsync(killA.Token));
        var id = await StartAsync(frontDoor, "/flink upgrade orders-enricher --jar orders-enricher-2.4.0.jar");
        await ApproveAtTheGateAsync(frontDoor, id);
        var held = await DeployedBot.WaitForAsync(async () =>
            await GetAsync(frontDoor, id) is { State: RunState.Executing or RunState.Validating, Lease.Owner: "host-a" } run ? run : null);

        await killA.CancelAsync(); // killed: its lease is not released
        await loopA;
        var lease = (await GetAsync(frontDoor, id)).Lease;
        Assert.NotNull(lease);
        Assert.Equal("host-a", lease.Owner);
        using var stopB = new CancellationTokenSource();
        var loopB = Task.Run(() => NewLoop(b).RunAsync(stopB.Token));
        var done = await EndOfAsync(frontDoor, id);
        await stopB.CancelAsync();
        await loopB;

        Assert.Equal(RunState.Succeeded, done.State);
        var takeover = _writes.All.First(w => w.RunId == id && w.Writer == "host-b");
        Assert.Equal("host-b", takeover.Run.Lease?.Owner);
        Assert.True(takeover.At >= lease.ExpiresAt, $"host B wrote at {takeover.At:O}, before host A's lease expired at {lease.ExpiresAt:O}");
        Assert.Contains(_writes.All, w => w.RunId == id && w.Writer == "host-b" && w.Run.State == RunState.Succeeded);
        Assert.Equal(1, _sim.Cluster.Calls.Count("POST", $"/jobs/{original}/stop"));
        Assert.Equal(1, _sim.Cluster.Calls.All.Count(c => c.Method == "POST" && c.Path.StartsWith("/jars/", StringComparison.Ordinal) && c.Path.EndsWith("/run", StringComparison.Ordinal)));
        Assert.Empty(_writes.LeaseViolations(["host-a", "host-b"]));
        Assert.True(held.State is RunState.Executing or RunState.Validating);
    }

    [Fact]
    public async Task StopAsync_HostHoldingARunLease_RefusesNewRunsAndReleasesTheLease()
    {
        var frontDoor = await StartReplicaAsync("front-door");
        var a = await StartReplicaAsync("host-a");
        await SeedLedgerAsync(frontDoor);
        var engine = new EngineService(a.Services.GetRequiredService<RunLoop>());
        await engine.StartAsync(CancellationToken.None);
        var id = await StartAsync(frontDoor, "/flink upgrade orders-enricher --jar orders-enricher-2.4.0.jar");
        a.Services.GetRequiredService<IRunSignal>().Wake(id);
        await ApproveAtTheGateAsync(frontDoor, id);
        a.Services.GetRequiredService<IRunSignal>().Wake(id);
        await DeployedBot.WaitForAsync(async () =>
            await GetAsync(frontDoor, id) is { State: RunState.Executing or RunState.Validating, Lease.Owner: "host-a" } run ? run : null);

        await engine.StopAsync(CancellationToken.None);
        var refused = await a.Services.GetRequiredService<ICommandService>().HandleAsync(
            new ChatCommand("/flink upgrade payments-fraud-detector --jar payments-fraud-detector-1.8.0.jar", Ana, Channel), CancellationToken.None);

        var parked = await GetAsync(frontDoor, id);
        Assert.Null(parked.Lease);
        Assert.False(parked.State.IsTerminal());
        Assert.False(refused.Accepted);
        Assert.Contains("restarting", refused.Text, StringComparison.Ordinal);
        Assert.Equal("host-a", a.Services.GetRequiredService<RunLoop>().Leases.Owner);
        Assert.Equal(LeaseDuration, a.Services.GetRequiredService<RunLoop>().Leases.Duration);
    }

    [Fact]
    public void Start_ZeroLeaseDuration_NamesTheSetting()
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Storage:InMemory", "true");
            builder.UseSetting("Flink:Clusters:0:Name", "prod");
            builder.UseSetting("Flink:Clusters:0:BaseUrl", "http://127.0.0.1:1");
            builder.UseSetting("Engine:LeaseDuration", "00:00:00");
        });

        var error = Assert.ThrowsAny<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains("Engine:LeaseDuration must be positive", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_LeaseRenewalShorterThanAJarRun_NamesBothSettings()
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Storage:InMemory", "true");
            builder.UseSetting("Flink:Clusters:0:Name", "prod");
            builder.UseSetting("Flink:Clusters:0:BaseUrl", "http://127.0.0.1:1");
            builder.UseSetting("Engine:LeaseDuration", "00:00:30"); // renews at 15 s, the default jar run may take 60 s
        });

        var error = Assert.ThrowsAny<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains("Flink:Client:JarRunTimeout (00:01:00)", error.Message, StringComparison.Ordinal);
        Assert.Contains("Raise Engine:LeaseDuration to at least 00:02:00", error.Message, StringComparison.Ordinal);
    }

    private async Task<IHost> StartReplicaAsync(string owner)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Flink:Clusters:0:Name"] = "demo",
            ["Flink:Clusters:0:BaseUrl"] = _sim.BaseAddress.ToString(),
            ["Flink:Clusters:0:ValidationWindow"] = "00:00:02",
            ["Flink:Clusters:0:PollInterval"] = "00:00:00.200",
            ["Storage:ConnectionString"] = _azurite.ConnectionString,
            ["Storage:TablePrefix"] = _tablePrefix,
            ["Engine:LeaseOwner"] = owner,
            ["Engine:LeaseDuration"] = LeaseDuration.ToString(),
            ["Flink:Client:JarRunTimeout"] = "00:00:01", // FlinkSim answers at once; the lease renewal must cover a jar run
            ["Authorization:Rules:0:Requesters:0"] = "*",
            ["Authorization:Rules:0:Approvers:0"] = "*",
        });
        builder.Services.AddFlinkOpsBot(builder.Configuration);
        // The test runs each replica's loop itself, so it can kill one without a graceful stop.
        builder.Services.Remove(builder.Services.Single(d => d.ImplementationType == typeof(EngineService)));
        var store = builder.Services.Single(d => d.ServiceType == typeof(IRunStore));
        builder.Services.Remove(store);
        builder.Services.AddSingleton<IRunStore>(sp => new LoggedRunStore((IRunStore)store.ImplementationFactory!(sp), _writes, owner));
        var host = builder.Build();
        _hosts.Add(host);
        await host.StartAsync();
        return host;
    }

    /// <summary>A replica's loop as the host composes it, rescanning often so runs created by the front door are found quickly.</summary>
    private static RunLoop NewLoop(IHost replica)
    {
        var services = replica.Services;
        return new RunLoop(services.GetRequiredService<RunEngine>(), services.GetRequiredService<IRunStore>(), TimeProvider.System,
            services.GetRequiredService<Microsoft.Extensions.Logging.ILogger<RunLoop>>(), services.GetRequiredService<IOptions<RunLeaseOptions>>().Value)
        {
            RescanInterval = TimeSpan.FromMilliseconds(300),
        };
    }

    private async Task SeedLedgerAsync(IHost replica)
    {
        var ledger = replica.Services.GetRequiredService<IDeploymentLedger>();
        foreach (var job in _sim.Cluster.Jobs)
        {
            await ledger.RecordAsync(new DeploymentRecord("demo", job.Name, job.JarId, JarNames.Display(job.JarId), job.JobId, job.Parallelism, null, DateTimeOffset.UnixEpoch),
                CancellationToken.None);
        }
    }

    private static async Task<RunId> StartAsync(IHost frontDoor, string text)
    {
        var reply = await frontDoor.Services.GetRequiredService<ICommandService>().HandleAsync(new ChatCommand(text, Ana, Channel), CancellationToken.None);
        Assert.True(reply.Accepted, reply.Text);
        return reply.RunId!.Value;
    }

    private static async Task ApproveAtTheGateAsync(IHost frontDoor, RunId id)
    {
        var gate = await DeployedBot.WaitForAsync(async () => await GetAsync(frontDoor, id) is { } run && (run.State == RunState.AwaitingApproval || run.State.IsTerminal()) ? run : null);
        Assert.True(gate.State == RunState.AwaitingApproval, $"{id}: {gate.State}: {gate.Summary}");
        var reply = await frontDoor.Services.GetRequiredService<ICommandService>().HandleActionAsync(new ChatAction(id, GateAction.Approve, Bo, Channel), CancellationToken.None);
        Assert.True(reply.Accepted, reply.Text);
    }

    private static Task<Run> EndOfAsync(IHost frontDoor, RunId id) =>
        DeployedBot.WaitForAsync(async () => await GetAsync(frontDoor, id) is { } run && run.State.IsTerminal() ? run : null);

    private static async Task<Run> GetAsync(IHost replica, RunId id) =>
        (await replica.Services.GetRequiredService<IRunStore>().GetAsync(id, CancellationToken.None))!.Value;

    /// <summary>One successful run write: who wrote it, the run as written, and when it was committed (system clock).</summary>
    private sealed record RunWrite(string Writer, RunId RunId, Run Run, DateTimeOffset At);

    /// <summary>Successful run writes of every replica in commit order (writes are serialized through one gate).</summary>
    private sealed class RunWriteLog
    {
        private readonly List<RunWrite> _writes = [];

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public IReadOnlyList<RunWrite> All
        {
            get
            {
                lock (_writes) return _writes.ToList();
            }
        }

        public void Add(RunWrite write)
        {
            lock (_writes) _writes.Add(write);
        }

        /// <summary>
        /// Writes by an engine replica made without holding the run's lease: a write that leaves the lease to someone
        /// else, drops a lease it did not hold, or lands while another replica's lease was live.
        /// </summary>
        public IReadOnlyList<string> LeaseViolations(IReadOnlyCollection<string> engines)
        {
            var violations = new List<string>();
            foreach (var run in All.GroupBy(w => w.RunId))
            {
                RunLease? previous = null;
                foreach (var write in run)
                {
                    if (engines.Contains(write.Writer))
                    {
                        if (write.Run.Lease is { } lease && lease.Owner != write.Writer)
                            violations.Add($"{write.Writer} wrote {write.RunId} ({write.Run.State}) under {lease.Owner}'s lease");
                        if (write.Run.Lease is null && previous?.Owner != write.Writer)
                            violations.Add($"{write.Writer} wrote {write.RunId} ({write.Run.State}) without a lease (before: {previous})");
                        if (previous is { } held && held.Owner != write.Writer && held.ExpiresAt > write.At)
                            violations.Add($"{write.Writer} wrote {write.RunId} ({write.Run.State}) at {write.At:O} while {held.Owner} held it until {held.ExpiresAt:O}");
                    }
                    previous = write.Run.Lease;
                }
            }
            return violations;
        }
    }

    /// <summary>A replica's run store that logs its successful writes, serialized with the other replicas' writes.</summary>
    private sealed class LoggedRunStore(IRunStore inner, RunWriteLog log, string writer) : IRunStore
    {
        public Task<Versioned<Run>?> GetAsync(RunId id, CancellationToken cancellationToken) => inner.GetAsync(id, cancellationToken);

        public async Task<string> CreateAsync(Run run, CancellationToken cancellationToken)
        {
            await log.Gate.WaitAsync(cancellationToken);
            try
            {
                var etag = await inner.CreateAsync(run, cancellationToken);
                log.Add(new RunWrite(writer, run.Id, CoreJson.DeserializeRun(CoreJson.Serialize(run)), TimeProvider.System.GetUtcNow()));
                return etag;
            }
            finally
            {
                log.Gate.Release();
            }
        }

        public async Task<string> ReplaceAsync(Run run, string etag, CancellationToken cancellationToken)
        {
            await log.Gate.WaitAsync(cancellationToken);
            try
            {
                var next = await inner.ReplaceAsync(run, etag, cancellationToken);
                log.Add(new RunWrite(writer, run.Id, CoreJson.DeserializeRun(CoreJson.Serialize(run)), TimeProvider.System.GetUtcNow()));
                return next;
            }
            finally
            {
                log.Gate.Release();
            }
        }

        public Task<IReadOnlyList<Run>> ListActiveAsync(CancellationToken cancellationToken) => inner.ListActiveAsync(cancellationToken);

        public Task<IReadOnlyList<Run>> ListRecentAsync(int max, CancellationToken cancellationToken) => inner.ListRecentAsync(max, cancellationToken);
    }
}
