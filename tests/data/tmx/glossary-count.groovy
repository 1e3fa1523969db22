// glossary-count.groovy - run by OmegaT (--script) after the project has
// loaded: read every glossary file of the directory named in the file
// glossary-dir.txt beside the project with OmegaT's own readers, and print
// "BITEXT_GLOSSARY NAME COUNT" then one "BITEXT_ENTRY NAME<TAB>SRC<TAB>LOC"
// line per entry. *.tbx goes to GlossaryReaderTBX, *.tsv and *.utf8 to
// GlossaryReaderTSV.
import org.omegat.gui.glossary.GlossaryReaderTBX
import org.omegat.gui.glossary.GlossaryReaderTSV

def dir = new File(new File(System.getProperty("user.dir"), "glossary-dir.txt").text.trim())
dir.listFiles().sort { it.name }.each { f ->
    def entries = null
    try {
        if (f.name.endsWith(".tbx"))
            entries = GlossaryReaderTBX.read(f, false)
        else if (f.name.endsWith(".tsv") || f.name.endsWith(".utf8"))
            entries = GlossaryReaderTSV.read(f, false)
    } catch (Throwable e) {
        println("BITEXT_GLOSSARY_ERROR " + f.name + " " + e)
        return
    }
    if (entries == null) return
    println("BITEXT_GLOSSARY " + f.name + " " + entries.size())
    entries.each { e ->
        println("BITEXT_ENTRY " + f.name + "\t" + e.getSrcText() + "\t" + e.getLocText())
    }
}
