using FlinkOpsBot.Core.Platforms;
using FlinkOpsBot.FlinkSim;
using FlinkOpsBot.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FlinkOpsBot.Flink.Tests.Rest;

/// <summary>
/// A FlinkSim cluster seeded with the demo jobs and jars, on a manual clock, and the platform under test created
/// the way the host creates it (AddFlinkPlatforms + FlinkPlatformFactory) over real HTTP. Retries wait about
/// a millisecond and an attempt may take 30 s (a loaded build machine must not turn into retries), so resilience
/// tests run at full speed; the simulated cluster's time moves only with <see cref="Clock"/>.
/// </summary>
internal sealed class SimulatedCluster : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private SimulatedCluster(ManualTimeProvider clock, FlinkSimServer server, ServiceProvider services)
    {
        Clock = clock;
        Server = server;
        _services = services;
        Platform = services.GetRequiredService<FlinkPlatformFactory>().Create("sim", server.BaseAddress);
    }

    public ManualTimeProvider Clock { get; }

    public FlinkSimServer Server { get; }

    public SimCluster Cluster => Server.Cluster;

    public IFlinkPlatform Platform { get; }

    public static async Task<SimulatedCluster> StartAsync(
        Action<FlinkSimOptions>? configureSim = null,
        IReadOnlyDictionary<string, string?>? clientSettings = null)
    {
        var clock = new ManualTimeProvider();
        var simOptions = new FlinkSimOptions();
        configureSim?.Invoke(simOptions);
        var server = await FlinkSimServer.StartAsync(simOptions, clock);
        SimCluster.SeedDemo(server.Cluster);

        var settings = new Dictionary<string, string?>
        {
            [nameof(FlinkClientOptions.AttemptTimeout)] = "00:00:30",
            [nameof(FlinkClientOptions.RetryBaseDelay)] = "00:00:00.001",
        };
        foreach (var (key, value) in clientSettings ?? new Dictionary<string, string?>()) settings[key] = value;
        var services = new ServiceCollection()
            .AddFlinkPlatforms(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .BuildServiceProvider();
        return new SimulatedCluster(clock, server, services);
    }

    public string JobId(string name) => Cluster.FindJob(name)?.JobId ?? throw new InvalidOperationException($"No job {name} in the simulated cluster.");

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Server.DisposeAsync();
    }
}
