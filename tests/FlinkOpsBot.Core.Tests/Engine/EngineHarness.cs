using FlinkOpsBot.Core.Approvals;
using FlinkOpsBot.Core.Authorization;
using FlinkOpsBot.Core.Chat;
using FlinkOpsBot.Core.Checks;
using FlinkOpsBot.Core.Clusters;
using FlinkOpsBot.Core.Commands;
using FlinkOpsBot.Core.Engine;
using FlinkOpsBot.Core.Identity;
using FlinkOpsBot.Core.Incidents;
using FlinkOpsBot.Core.Platforms;
using FlinkOpsBot.Core.Recipes;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Steps;
using FlinkOpsBot.Core.Storage;
using FlinkOpsBot.Core.Timeline;
using FlinkOpsBot.Flink;
using FlinkOpsBot.FlinkSim;
using FlinkOpsBot.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlinkOpsBot.Core.Tests.Engine;

/// <summary>
/// The engine and the command pipeline against a FlinkSim cluster over real HTTP, with one manual clock shared by
/// both sides: "ten minutes later" is a call, not a wait.
/// </summary>
internal sealed class EngineHarness : IAsyncDisposable
{
    public static readonly Actor Ana = new("slack", "T1", "U1", "ana");
    public static readonly Actor Bo = new("slack", "T1", "U2", "bo");
    public static readonly ChannelRef Channel = new("slack", "T1", "C1");

    private readonly ServiceProvider _flinkServices;

    private readonly AuthorizationPolicy? _policy;

    /// <summary>The CMF cluster of a harness started with <c>cmf: true</c> (environment <c>demo-env</c> of FlinkSim's CMF demo).</summary>
    public const string CmfCluster = "demo-cmf";

    private EngineHarness(FlinkSimServer sim, ManualTimeProvider clock, GatePolicy gate, bool seedLedger, AuthorizationPolicy? policy, bool cmf = false)
    {
        _policy = policy;
        Sim = sim;
        Clock = clock;
        _flinkServices = new ServiceCollection()
            .AddLogging()
            .AddSingleton(TimeProvider.System) // HTTP timeouts and retry delays run on real time; the simulation does not.
            .AddFlinkPlatforms(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["MaxRetryAttempts"] = "0" }).Build())
            .BuildServiceProvider();
        var platform = _flinkServices.GetRequiredService<FlinkPlatformFactory>().Create("demo", sim.BaseAddress);
        Platform = platform;
        var demo = new ClusterDefinition("demo", ClusterDefinition.FlinkRest, sim.BaseAddress, ValidationWindow: TimeSpan.FromSeconds(30), PollInterval: TimeSpan.FromSeconds(1));
        ClusterDefinition[] clusters = cmf
            ? [demo, new(CmfCluster, ClusterDefinition.Cmf, sim.BaseAddress, ValidationWindow: TimeSpan.FromSeconds(30), PollInterval: TimeSpan.FromSeconds(1),
                Environment: "demo-env", SavepointDirectory: "s3://flink-demo/savepoints/demo-env")]
            : [demo];
        CmfPlatform = cmf ? _flinkServices.GetRequiredService<FlinkPlatformFactory>().Create(clusters[^1]) : null;
        Clusters = new ClusterDirectory(clusters, c => c.Platform == ClusterDefinition.Cmf ? CmfPlatform! : platform, "demo");
        Recipes = RecipeCatalog.LoadBuiltIn();
        var publisher = new RunPublisher([Chat], Recipes, Timeline, NullLogger<RunPublisher>.Instance);
        Recorder = new RunRecorder(Runs, Timeline, publisher, clock);
        Policy = policy ?? AuthorizationPolicy.AllowEveryone(gate, Recipes);
        Engine = NewEngine(gate);
        Timelines = new TimelineService(Runs, Timeline, Incidents);
        Commands = new CommandService(Recipes, Clusters, Runs, Recorder, Locks, new NoSignal(), clock, NullLogger<CommandService>.Instance, Policy,
            new IncidentBook(Incidents, clock), Timelines);
        if (seedLedger)
        {
            foreach (var job in sim.Cluster.Jobs)
            {
                Ledger.RecordAsync(new DeploymentRecord("demo", job.Name, job.JarId, JarNames.Display(job.JarId), job.JobId, job.Parallelism, null, clock.GetUtcNow()),
                    CancellationToken.None).GetAwaiter().GetResult();
            }
        }
    }

    public FlinkSimServer Sim { get; }
    public ManualTimeProvider Clock { get; }
    public IFlinkPlatform Platform { get; }
    public IFlinkPlatform? CmfPlatform { get; }
    public ClusterDirectory Clusters { get; }
    public RecipeCatalog Recipes { get; }
    public InMemoryRunStore Runs { get; } = new();
    public InMemoryTimelineStore Timeline { get; } = new();
    public InMemoryJobLockStore Locks { get; } = new();
    public InMemoryDeploymentLedger Ledger { get; } = new();
    public InMemorySavepointLedger Savepoints { get; } = new();
    public InMemoryIncidentStore Incidents { get; } = new();
    public TimelineService Timelines { get; }
    public RecordingChannel Chat { get; } = new();
    public RunRecorder Recorder { get; }
    public RunEngine Engine { get; private set; }

    /// <summary>
    /// The policy given to <see cref="StartAsync"/>, or one where everyone verified may request, with approvers per the
    /// harness's <see cref="GatePolicy"/> (anyone when it names none).
    /// </summary>
    public AuthorizationPolicy Policy { get; private set; } = null!;
    public CommandService Commands { get; }

    /// <summary>Starts FlinkSim with the Flink demo (cluster <c>demo</c>) and, with <paramref name="cmf"/>, the CMF demo as cluster <see cref="CmfCluster"/>.</summary>
    public static async Task<EngineHarness> StartAsync(GatePolicy? gate = null, bool seedLedger = true, FlinkSimOptions? options = null, AuthorizationPolicy? policy = null,
        bool cmf = false)
    {
        var clock = new ManualTimeProvider();
        var sim = await FlinkSimServer.StartAsync(options ?? new FlinkSimOptions(), clock);
        SimCluster.SeedDemo(sim.Cluster);
        if (cmf) SimCluster.SeedCmfDemo(sim.Cluster);
        // Let the demo jobs complete a few checkpoints, as long-running jobs would have.
        clock.Advance(TimeSpan.FromSeconds(30));
        return new EngineHarness(sim, clock, gate ?? new GatePolicy(), seedLedger, policy, cmf);
    }

    /// <summary>A fresh engine over the same stores, as after a restart of the host.</summary>
    public void RestartEngine(GatePolicy? gate = null) => Engine = NewEngine(gate ?? new GatePolicy());

    public async Task<CommandReply> SayAsync(string text, Actor? actor = null, ChannelRef? channel = null) =>
        await Commands.HandleAsync(new ChatCommand(text, actor ?? Ana, channel ?? Channel), CancellationToken.None);

    public async Task<Run> StartUpgradeAsync(string text, Actor? requester = null)
    {
        var reply = await SayAsync(text, requester);
        Assert.True(reply.Accepted, reply.Text);
        return await GetAsync(reply.RunId!.Value);
    }

    public async Task<Run> GetAsync(RunId id) => (await Runs.GetAsync(id, CancellationToken.None))!.Value;

    /// <summary>Ticks the run, moving the clock to each wake-up, until it reaches <paramref name="until"/> (default: any terminal state).</summary>
    public async Task<Run> DriveAsync(RunId id, Func<Run, bool>? until = null, int maxTicks = 2000)
    {
        until ??= r => r.State.IsTerminal();
        for (var i = 0; i < maxTicks; i++)
        {
            var run = await GetAsync(id);
            if (until(run)) return run;
            var next = await Engine.TickAsync(id, CancellationToken.None);
            if (next is null) return await GetAsync(id);
            Clock.AdvanceTo(next.Value);
        }
        throw new Xunit.Sdk.XunitException($"Run {id} did not get there within {maxTicks} ticks; it is {(await GetAsync(id)).State}.");
    }

    /// <summary>Drives to the gate, has <paramref name="approver"/> approve, and drives to the end.</summary>
    public async Task<Run> ApproveAndFinishAsync(RunId id, Actor? approver = null)
    {
        var gate = await DriveAsync(id, r => r.State == RunState.AwaitingApproval || r.State.IsTerminal());
        Assert.True(gate.State == RunState.AwaitingApproval, $"expected the gate, got {gate.State}: {gate.Summary}");
        var reply = await Commands.HandleActionAsync(new ChatAction(id, GateAction.Approve, approver ?? Bo, Channel), CancellationToken.None);
        Assert.True(reply.Accepted, reply.Text);
        return await DriveAsync(id);
    }

    public async ValueTask DisposeAsync()
    {
        await _flinkServices.DisposeAsync();
        await Sim.DisposeAsync();
    }

    private RunEngine NewEngine(GatePolicy gate) => new(Recorder, Clusters, Recipes, CheckLibrary.BuiltIn, StepLibrary.BuiltIn, Ledger, Locks,
        _policy ?? AuthorizationPolicy.AllowEveryone(gate, Recipes), Clock,
        NullLogger<RunEngine>.Instance, Savepoints);

    private sealed class NoSignal : IRunSignal
    {
        public void Wake(RunId runId)
        {
        }
    }
}

/// <summary>A chat channel that records what it was asked to show.</summary>
internal sealed class RecordingChannel : IChatChannel
{
    private readonly List<RunUpdate> _updates = [];

    public string Platform => "slack";

    public IReadOnlyList<RunUpdate> Updates
    {
        get
        {
            lock (_updates) return _updates.ToList();
        }
    }

    public Task PublishAsync(RunUpdate update, CancellationToken cancellationToken)
    {
        lock (_updates) _updates.Add(update);
        return Task.CompletedTask;
    }
}
