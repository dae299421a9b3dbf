using FlinkOpsBot.Core.Clusters;
using FlinkOpsBot.Core.Platforms;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FlinkOpsBot.Host.Tests.Composition;

/// <summary>CMF clusters in configuration: validated at start with messages that name the setting, and resolved to the cmf platform.</summary>
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
    public void Start_CmfClusterWithoutEnvironment_NamesTheSetting()
    {
        using var factory = Configure(Base);

        var error = Assert.ThrowsAny<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains("Flink:Clusters:1:Environment is required for Platform 'cmf'", error.Message);
    }

    [Fact]
    public void Start_UnknownPlatform_NamesBothKnownOnes()
    {
        using var factory = Configure(new(Base) { ["Flink:Clusters:1:Platform"] = "kubernetes", ["Flink:Clusters:1:Environment"] = "prod-env" });

        var error = Assert.ThrowsAny<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains("Flink:Clusters:1:Platform 'kubernetes' is not supported; use 'flink-rest' (Apache Flink REST) or 'cmf'", error.Message);
    }

    [Fact]
    public void Start_MutualTlsWithoutFiles_NamesEachMissingFile()
    {
        using var factory = Configure(new(Base)
        {
            ["Flink:Clusters:1:Environment"] = "prod-env",
            ["Flink:Clusters:1:Auth:Mode"] = "MutualTls",
            ["Flink:Clusters:1:Auth:ClientCertificatePath"] = "/no/such/client.pem",
        });

        var error = Assert.ThrowsAny<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains("Flink:Clusters:1:Auth:ClientCertificatePath '/no/such/client.pem' does not exist", error.Message);
        Assert.Contains("Flink:Clusters:1:Auth:ClientKeyPath is required", error.Message);
    }

    [Fact]
    public void Start_OAuthWithoutSecret_NamesTheSettingAndNeverTheOtherValues()
    {
        using var factory = Configure(new(Base)
        {
            ["Flink:Clusters:1:Environment"] = "prod-env",
            ["Flink:Clusters:1:Auth:Mode"] = "Bearer",
            ["Flink:Clusters:1:Auth:TokenEndpoint"] = "https://idp.example/oauth2/token",
            ["Flink:Clusters:1:Auth:ClientId"] = "flinkopsbot",
        });

        var error = Assert.ThrowsAny<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains("Flink:Clusters:1:Auth:ClientSecret is required with Flink:Clusters:1:Auth:TokenEndpoint", error.Message);
    }

    [Fact]
    public void Start_AuthOnAFlinkRestCluster_SaysItIsForCmf()
    {
        using var factory = Configure(new(Base) { ["Flink:Clusters:1:Environment"] = "prod-env", ["Flink:Clusters:0:Auth:Mode"] = "Bearer" });

        var error = Assert.ThrowsAny<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains("Flink:Clusters:0:Auth applies to Platform 'cmf' only", error.Message);
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

    private static WebApplicationFactory<Program> Configure(Dictionary<string, string?> settings) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            foreach (var (key, value) in settings) builder.UseSetting(key, value);
        });
}
