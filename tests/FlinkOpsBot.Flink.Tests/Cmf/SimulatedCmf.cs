using FlinkOpsBot.Core.Platforms;
using FlinkOpsBot.Flink.Cmf;
using FlinkOpsBot.FlinkSim;
using FlinkOpsBot.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FlinkOpsBot.Flink.Tests.Cmf;

/// <summary>
/// FlinkSim with the Flink and CMF demos on a manual clock, and the <c>cmf</c> platform for environment <c>demo-env</c>
/// created the way the host creates it (AddFlinkPlatforms + FlinkPlatformFactory) over real HTTP.
/// </summary>
internal sealed class SimulatedCmf : IAsyncDisposable
{
    public const string Environment = "demo-env";

    private readonly ServiceProvider _services;

    private SimulatedCmf(ManualTimeProvider clock, FlinkSimServer server, ServiceProvider services, string environment)
    {
        Clock = clock;
        Server = server;
        _services = services;
        Platform = services.GetRequiredService<FlinkPlatformFactory>().CreateCmf("sim-cmf", server.BaseAddress, environment);
    }

    public ManualTimeProvider Clock { get; }

    public FlinkSimServer Server { get; }

    public SimCluster Cluster => Server.Cluster;

    public IFlinkPlatform Platform { get; }

    public ISqlPlatform Sql => (ISqlPlatform)Platform;

    public static async Task<SimulatedCmf> StartAsync(Action<FlinkSimOptions>? configureSim = null, string environment = Environment)
    {
        var clock = new ManualTimeProvider();
        var simOptions = new FlinkSimOptions();
        configureSim?.Invoke(simOptions);
        var server = await FlinkSimServer.StartAsync(simOptions, clock);
        SimCluster.SeedDemo(server.Cluster);
        SimCluster.SeedCmfDemo(server.Cluster);
        clock.Advance(TimeSpan.FromSeconds(30)); // the applications' jobs run and checkpoint, as long-running jobs would have
        var settings = new Dictionary<string, string?>
        {
            [nameof(FlinkClientOptions.AttemptTimeout)] = "00:00:30",
            [nameof(FlinkClientOptions.RetryBaseDelay)] = "00:00:00.001",
        };
        var services = new ServiceCollection()
            .AddFlinkPlatforms(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .BuildServiceProvider();
        return new SimulatedCmf(clock, server, services, environment);
    }

    /// <summary>The JobID of the job that backs an application of the demo environment.</summary>
    public string JobId(string application) =>
        Cluster.Cmf.ApplicationJob(Environment, application)?.JobId ?? throw new InvalidOperationException($"No job backs application {application}.");

    /// <summary>Reads <paramref name="read"/> until <paramref name="done"/>, moving the simulation's clock one second per read.</summary>
    public async Task<T> PollAsync<T>(Func<Task<T>> read, Func<T, bool> done, int maxSeconds = 600)
    {
        for (var i = 0; i < maxSeconds; i++)
        {
            var value = await read();
            if (done(value)) return value;
            Clock.Advance(TimeSpan.FromSeconds(1));
        }
        throw new Xunit.Sdk.XunitException($"Not there after {maxSeconds} simulated seconds.");
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Server.DisposeAsync();
    }
}
