using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Steps;
using FlinkOpsBot.Core.Storage;
using FlinkOpsBot.FlinkSim;
using FlinkOpsBot.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FlinkOpsBot.Host.Tests.EndToEnd;

/// <summary>
/// The whole bot as deployed, for end-to-end tests: the host (<see cref="WebApplicationFactory{TEntryPoint}"/>) with
/// Azure Table Storage in Azurite (fresh tables per instance), a FlinkSim demo cluster over HTTP whose
/// <c>orders-enricher</c> the bot's deployment records know, and the chat platform's settings the test adds.
/// </summary>
internal sealed class DeployedBot : IAsyncDisposable
{
    /// <summary>How long a test waits for something the host does in the background.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    private readonly WebApplicationFactory<Program> _factory;

    private DeployedBot(FlinkSimServer sim, WebApplicationFactory<Program> factory)
    {
        Sim = sim;
        _factory = factory;
        Http = factory.CreateClient();
    }

    public FlinkSimServer Sim { get; }

    /// <summary>A client of the host's HTTP endpoints (in memory).</summary>
    public HttpClient Http { get; }

    public IServiceProvider Services => _factory.Services;

    public IRunStore Runs => Services.GetRequiredService<IRunStore>();

    /// <summary>Starts the cluster and the host with <paramref name="platformSettings"/> (e.g. <c>Slack:SigningSecret</c>) on top of the cluster and storage.</summary>
    public static async Task<DeployedBot> StartAsync(AzuriteFixture azurite, IReadOnlyDictionary<string, string> platformSettings)
    {
        var sim = await FlinkSimServer.StartAsync(FlinkSimOptions.Demo());
        SimCluster.SeedDemo(sim.Cluster);
        var settings = new Dictionary<string, string>(platformSettings)
        {
            ["Flink:Clusters:0:Name"] = "demo",
            ["Flink:Clusters:0:BaseUrl"] = sim.BaseAddress.ToString(),
            ["Flink:Clusters:0:ValidationWindow"] = "00:00:02",
            ["Flink:Clusters:0:PollInterval"] = "00:00:00.200",
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Storage:TablePrefix"] = "e2e" + Guid.NewGuid().ToString("N")[..10],
        };
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            foreach (var (key, value) in settings) builder.UseSetting(key, value);
        });
        var bot = new DeployedBot(sim, factory);

        // The bot deployed the demo's orders-enricher before (its record names the rollback artifact).
        var job = sim.Cluster.FindJob("orders-enricher")!;
        await bot.Services.GetRequiredService<IDeploymentLedger>().RecordAsync(
            new DeploymentRecord("demo", job.Name, job.JarId, JarNames.Display(job.JarId), job.JobId, job.Parallelism, null, DateTimeOffset.UnixEpoch),
            CancellationToken.None);
        return bot;
    }

    public async Task<Run> RunAsync(RunId id) => (await Runs.GetAsync(id, CancellationToken.None))!.Value;

    /// <summary>Waits until the run has ended, and returns it.</summary>
    public Task<Run> EndOfAsync(RunId id) => WaitForAsync(async () => await RunAsync(id) is { State: var s } run && s.IsTerminal() ? run : null);

    public static Task<T> WaitForAsync<T>(Func<T?> probe) where T : class => WaitForAsync(() => Task.FromResult(probe()));

    /// <summary>Polls <paramref name="probe"/> until it answers, for at most <see cref="Patience"/>. Real time: the host's engine and FlinkSim run on the system clock.</summary>
    public static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe) where T : class
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            if (await probe() is { } found) return found;
            if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException($"Gave up waiting after {Patience.TotalSeconds} s.");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _factory.DisposeAsync();
        await Sim.DisposeAsync();
    }
}
