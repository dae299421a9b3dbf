using FlinkOpsBot.AzureTables.Rest;

namespace FlinkOpsBot.AzureTables.Tests.Rest;

public sealed class TableFilterTests
{
    [Fact]
    public void Create_StringArguments_AreQuotedLiterals()
    {
        Assert.Equal("PartitionKey eq 'o''brien' and RowKey ge 'a'", TableFilter.Create($"PartitionKey eq {"o'brien"} and RowKey ge {"a"}"));
    }

    [Fact]
    public void Create_NonStringArgument_Throws()
    {
        Assert.Throws<ArgumentException>(() => TableFilter.Create($"Count eq {1}"));
    }
}
