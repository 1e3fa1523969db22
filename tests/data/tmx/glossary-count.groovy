// glossary-count.groovy - run by OmegaT (--script) after the project has
// loaded: read every file of the directory named in the file
// glossary-dir.txt beside the project as OmegaT's glossary manager does
// (its own choice of reader by file name: .txt, .utf8 and .tab as
// tab-separated, .csv, .tbx; any other name ignored), and print
// "BITEXT_GLOSSARY NAME COUNT" (or "BITEXT_GLOSSARY NAME IGNORED") then one
// "BITEXT_ENTRY NAME<TAB>SRC<TAB>LOC" line per entry.
import org.omegat.core.Core
import org.omegat.gui.glossary.GlossaryManager

def dir = new File(new File(System.getProperty("user.dir"), "glossary-dir.txt").text.trim())
def gm = new GlossaryManager(null)
// what start() would set: the project's writable glossary
gm.priorityGlossary = new File(Core.getProject().getProjectProperties().getWriteableGlossary())
dir.listFiles().sort { it.name }.each { f ->
    def entries = null
    try {
        entries = gm.loadGlossaryFile(f)   // private: Groovy may call it
    } catch (Throwable e) {
        println("BITEXT_GLOSSARY_ERROR " + f.name + " " + e)
        return
    }
    if (entries == null) {
        println("BITEXT_GLOSSARY " + f.name + " IGNORED")
        return
    }
    println("BITEXT_GLOSSARY " + f.name + " " + entries.size())
    entries.each { e ->
        println("BITEXT_ENTRY " + f.name + "\t" + e.getSrcText() + "\t" + e.getLocText())
    }
}
