using FlinkOpsBot.Core.Clusters;
using FlinkOpsBot.Core.Platforms;
using FlinkOpsBot.Host.Composition;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FlinkOpsBot.Host.Tests.Composition;

/// <summary>CMF clusters in configuration: the start-up validator's messages name the setting, and a valid one resolves to the cmf platform.</summary>
public class CmfClusterOptionsTests
{
    private static readonly Dictionary<string, string?> Base = new()
    {
        ["Storage:InMemory"] = "true",
        ["Flink:DefaultCluster"] = "prod",
        ["Flink:Clusters:0:Name"] = "prod",
        ["Flink:Clusters:0:BaseUrl"] = "http://127.0.0.1:1",
        ["Flink:Clusters:1:Name"] = "prod-cp",
        ["Flink:Clusters:1:Platform"] = "cmf",
        ["Flink:Clusters:1:BaseUrl"] = "http://127.0.0.1:2",
    };

    [Fact]
    public void Validate_CmfClusterWithoutEnvironment_NamesTheSetting()
    {
        var settings = Base;

        var error = Validate(settings);

        Assert.Contains("Flink:Clusters:1:Environment is required for Platform 'cmf'", error);
    }

    [Fact]
    public void Validate_UnknownPlatform_NamesBothKnownOnes()
    {
        var settings = new Dictionary<string, string?>(Base) { ["Flink:Clusters:1:Platform"] = "kubernetes", ["Flink:Clusters:1:Environment"] = "prod-env" };

        var error = Validate(settings);

        Assert.Contains("Flink:Clusters:1:Platform 'kubernetes' is not supported; use 'flink-rest' (Apache Flink REST) or 'cmf'", error);
    }

    [Fact]
    public void Validate_MutualTlsWithoutFiles_NamesEachMissingFile()
    {
        var settings = new Dictionary<string, string?>(Base)
        {
            ["Flink:Clusters:1:Environment"] = "prod-env",
            ["Flink:Clusters:1:Auth:Mode"] = "MutualTls",
            ["Flink:Clusters:1:Auth:ClientCertificatePath"] = "/no/such/client.pem",
        };

        var error = Validate(settings);

        Assert.Contains("Flink:Clusters:1:Auth:ClientCertificatePath '/no/such/client.pem' does not exist", error);
        Assert.Contains("Flink:Clusters:1:Auth:ClientKeyPath is required", error);
    }

    [Fact]
    public void Validate_OAuthWithoutSecret_NamesTheSettingAndNeverTheOtherValues()
    {
        var settings = new Dictionary<string, string?>(Base)
        {
            ["Flink:Clusters:1:Environment"] = "prod-env",
            ["Flink:Clusters:1:Auth:Mode"] = "Bearer",
            ["Flink:Clusters:1:Auth:TokenEndpoint"] = "https://idp.example/oauth2/token",
            ["Flink:Clusters:1:Auth:ClientId"] = "flinkopsbot",
        };

        var error = Validate(settings);

        Assert.Contains("Flink:Clusters:1:Auth:ClientSecret is required with Flink:Clusters:1:Auth:TokenEndpoint", error);
    }

    [Fact]
    public void Validate_AuthOnAFlinkRestCluster_SaysItIsForCmf()
    {
        var settings = new Dictionary<string, string?>(Base) { ["Flink:Clusters:1:Environment"] = "prod-env", ["Flink:Clusters:0:Auth:Mode"] = "Bearer" };

        var error = Validate(settings);

        Assert.Contains("Flink:Clusters:0:Auth applies to Platform 'cmf' only", error);
    }

    [Fact]
    public void Start_ValidCmfCluster_ResolvesToTheCmfPlatformWithSql()
    {
        using var factory = Configure(new(Base)
        {
            ["Flink:Clusters:1:Environment"] = "prod-env",
            ["Flink:Clusters:1:Auth:Mode"] = "Bearer",
            ["Flink:Clusters:1:Auth:Token"] = "t",
        });
        factory.CreateClient();

        var clusters = factory.Services.GetRequiredService<IClusterDirectory>();
        var cmf = clusters.Find("prod-cp")!;

        Assert.Equal(ClusterDefinition.Cmf, cmf.Platform);
        Assert.Equal("prod-env", cmf.Environment);
        Assert.IsAssignableFrom<ISqlPlatform>(clusters.PlatformFor(cmf));
        Assert.IsNotAssignableFrom<ISqlPlatform>(clusters.PlatformFor(clusters.Find("prod")!));
        Assert.Equal("prod", clusters.Default!.Name);
    }

    /// <summary>The start-up validator's verdict on the <c>Flink</c> section of <paramref name="settings"/>.</summary>
    private static string Validate(Dictionary<string, string?> settings)
    {
        var options = new FlinkClustersOptions();
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection(FlinkClustersOptions.Section).Bind(options);
        var result = new FlinkClustersOptionsValidator().Validate(null, options);
        Assert.True(result.Failed, "the options were accepted");
        return result.FailureMessage;
    }

    private static WebApplicationFactory<Program> Configure(Dictionary<string, string?> settings) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            foreach (var (key, value) in settings) builder.UseSetting(key, value);
        });
}
