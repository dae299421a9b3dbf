using FlinkOpsBot.AzureTables.Rest;
using FlinkOpsBot.AzureTables.Stores;

namespace FlinkOpsBot.AzureTables.Tests.Stores;

public sealed class JsonColumnsTests
{
    [Fact]
    public void Write_JsonAtTheLimit_UsesOneProperty()
    {
        var json = new string('a', JsonColumns.MaxPropertyChars);
        var entity = new TableEntity("p", "r");

        JsonColumns.Write(entity, json);

        Assert.Equal(json, entity.GetString("Json"));
        Assert.Null(entity["JsonParts"]);
        Assert.Null(entity["Json0"]);
    }

    [Fact]
    public void Write_JsonOverTheLimit_SplitsIntoPartsThatFitAndRejoin()
    {
        var json = new string('a', 2 * JsonColumns.MaxPropertyChars + 1);
        var entity = new TableEntity("p", "r");

        JsonColumns.Write(entity, json);

        Assert.Equal(3, entity.GetInt32("JsonParts"));
        Assert.All(new[] { "Json0", "Json1", "Json2" }, name => Assert.InRange(entity.GetString(name)!.Length, 1, JsonColumns.MaxPropertyChars));
        Assert.Equal(json, JsonColumns.Read(entity));
    }

    [Fact]
    public void Write_SurrogatePairAcrossTheLimit_KeepsThePairInOnePart()
    {
        var json = new string('a', JsonColumns.MaxPropertyChars - 1) + "😀" + "tail";
        var entity = new TableEntity("p", "r");

        JsonColumns.Write(entity, json);

        Assert.False(char.IsHighSurrogate(entity.GetString("Json0")![^1]));
        Assert.StartsWith("😀", entity.GetString("Json1"), StringComparison.Ordinal);
        Assert.Equal(json, JsonColumns.Read(entity));
    }

    [Fact]
    public void Read_MissingPart_Throws()
    {
        var entity = new TableEntity("p", "r") { ["JsonParts"] = 2, ["Json0"] = "{" };

        Assert.Throws<InvalidDataException>(() => JsonColumns.Read(entity));
    }
}
