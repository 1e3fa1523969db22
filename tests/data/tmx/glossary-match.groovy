// glossary-match.groovy - run by OmegaT (--script) after the project has
// loaded: load the project's glossary/ folder as OmegaT's glossary manager
// does (the reader chosen by file name), then, for every source segment,
// find the glossary entries OmegaT's glossary pane would show
// (FindGlossaryThread's own search: tokens, merging of entries with one
// source, their order). Prints "BITEXT_LOADED NAME COUNT|IGNORED" per file
// and "BITEXT_MATCH SEGMENT<TAB>SRC<TAB>LOC1|LOC2..." per entry shown.
import org.omegat.core.Core
import org.omegat.core.data.SourceTextEntry
import org.omegat.gui.glossary.FindGlossaryThread
import org.omegat.gui.glossary.GlossaryManager

// The pane's thread, without the pane: the entry never changes here.
class PaneLess extends FindGlossaryThread {
    PaneLess(SourceTextEntry e, GlossaryManager m) { super(null, e, m) }
    protected boolean isEntryChanged() { return false }
    List found() { return search() }
}

def gm = new GlossaryManager(null)
// what start() would set: the project's writable glossary
gm.priorityGlossary = new File(Core.getProject().getProjectProperties().getWriteableGlossary())
def dir = new File(Core.getProject().getProjectProperties().getGlossaryRoot())
dir.listFiles().sort { it.name }.each { f ->
    def entries = null
    try {
        entries = gm.loadGlossaryFile(f)
    } catch (Throwable e) {
        println("BITEXT_GLOSSARY_ERROR " + f.name + " " + e)
        return
    }
    println("BITEXT_LOADED " + f.name + " " + (entries == null ? "IGNORED" : entries.size()))
    if (entries != null) gm.glossaries.put(f.getPath(), entries)
}
Core.getProject().getAllEntries().each { ste ->
    new PaneLess(ste, gm).found().each { e ->
        println("BITEXT_MATCH " + ste.getSrcText() + "\t" + e.getSrcText() + "\t" +
                e.getLocTerms(false).join("|"))
    }
}
